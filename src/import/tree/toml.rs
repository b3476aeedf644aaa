//! The native deck format: TOML, read into a [`Node`] tree with positions.

use toml::de::{DeTable, DeValue};

use super::node::{Key, LineIndex, Node, Value};
use crate::error::Diagnostic;
use crate::import::validate::Pos;

/// Parse TOML text; a syntax error becomes one diagnostic at its position.
pub fn parse(file: &str, text: &str) -> Result<Node<'static>, Diagnostic> {
    let index = LineIndex::new(text);
    match DeTable::parse(text) {
        Ok(table) => {
            let entries = convert_table(table.get_ref(), text, &index);
            Ok(Node {
                pos: Pos { line: 1, column: 1 },
                value: Value::Table(entries),
            })
        }
        Err(e) => {
            let pos = e
                .span()
                .map(|s| index.pos(text, s.start))
                .unwrap_or_default();
            Err(Diagnostic {
                file: file.to_string(),
                line: pos.line,
                column: pos.column,
                message: format!(
                    "invalid TOML: {} — fix the syntax at this place",
                    e.message().trim()
                ),
            })
        }
    }
}

fn convert_table(table: &DeTable<'_>, text: &str, index: &LineIndex) -> Vec<(Key, Node<'static>)> {
    let mut entries: Vec<(usize, Key, Node<'static>)> = table
        .iter()
        .map(|(k, v)| {
            let key_offset = k.span().start;
            let node = convert(v.get_ref(), index.pos(text, v.span().start), text, index);
            (key_offset, Key::Owned(k.get_ref().to_string()), node)
        })
        .collect();
    // File order, so that diagnostics come out in the order a reader meets them.
    entries.sort_by_key(|(offset, _, _)| *offset);
    entries.into_iter().map(|(_, k, v)| (k, v)).collect()
}

fn convert(value: &DeValue<'_>, pos: Pos, text: &str, index: &LineIndex) -> Node<'static> {
    let value = match value {
        DeValue::String(s) => Value::Str(s.to_string().into()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map(Value::Int)
            .unwrap_or(Value::Other("an integer out of range")),
        DeValue::Float(_) => Value::Other("a float"),
        DeValue::Boolean(_) => Value::Other("a boolean"),
        DeValue::Datetime(_) => Value::Other("a date-time"),
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| {
                    convert(
                        item.get_ref(),
                        index.pos(text, item.span().start),
                        text,
                        index,
                    )
                })
                .collect(),
        ),
        DeValue::Table(t) => Value::Table(convert_table(t, text, index)),
    };
    Node { pos, value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_tables_point_at_their_header() {
        let text = "[deck]\nid = \"x\"\n\n[[card]]\nid = \"a\"\n";
        let root = parse("f.toml", text).unwrap();
        let cards = root.get("card").unwrap();
        let Value::Array(items) = &cards.value else {
            panic!("cards is not an array")
        };
        assert_eq!(items[0].pos.line, 4);
        assert_eq!(items[0].get("id").unwrap().pos, Pos { line: 5, column: 6 });
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let err = parse("f.toml", "[deck]\nid = \"x\"\nname = \n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.to_string().starts_with("f.toml:3:"), "{err}");
    }
}
