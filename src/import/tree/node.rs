//! A small document tree with source positions, shared by the TOML and JSON readers so
//! that one validator checks both and reports `file:line:column` for each problem.

use std::borrow::Cow;

use crate::import::validate::Pos;

/// A table key: borrowed when a reader knows it statically (the row formats build many
/// small tables), owned when it comes from a file.
pub type Key = Cow<'static, str>;

/// A value; strings borrow from the file's text where they can (`'a`), so that a row
/// format builds its small trees without copying every cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Other(&'static str),
    Array(Vec<Node<'a>>),
    Table(Vec<(Key, Node<'a>)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node<'a> {
    pub pos: Pos,
    pub value: Value<'a>,
}

impl<'a> Node<'a> {
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Other(t) => t,
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        match &self.value {
            Value::Table(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn str(pos: Pos, s: impl Into<Cow<'a, str>>) -> Node<'a> {
        Node {
            pos,
            value: Value::Str(s.into()),
        }
    }

    pub fn table(pos: Pos, entries: Vec<(Key, Node<'a>)>) -> Node<'a> {
        Node {
            pos,
            value: Value::Table(entries),
        }
    }

    pub fn array(pos: Pos, items: Vec<Node<'a>>) -> Node<'a> {
        Node {
            pos,
            value: Value::Array(items),
        }
    }

    /// Add `key` to a table unless it is there already; returns whether it was added.
    pub fn insert_missing(&mut self, key: &'static str, node: Node<'a>) -> bool {
        match &mut self.value {
            Value::Table(entries) if !entries.iter().any(|(k, _)| k == key) => {
                entries.push((Key::Borrowed(key), node));
                true
            }
            _ => false,
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node<'a>> {
        match &mut self.value {
            Value::Table(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Byte offset → line/column, computed once per file.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub fn pos(&self, text: &str, offset: usize) -> Pos {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = text
            .get(start..offset.min(text.len()))
            .map_or(1, |prefix| prefix.chars().count() + 1);
        Pos { line, column }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "ab\ncé\nxyz";
        let idx = LineIndex::new(text);
        assert_eq!(idx.pos(text, 0), Pos { line: 1, column: 1 });
        assert_eq!(idx.pos(text, 3), Pos { line: 2, column: 1 });
        assert_eq!(idx.pos(text, 6), Pos { line: 2, column: 3 });
        assert_eq!(idx.pos(text, 7), Pos { line: 3, column: 1 });
    }
}
