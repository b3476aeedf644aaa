//! Ids made from names and texts, for formats that carry none of their own: a CSV topic
//! cell says "Data poisoning", an Anki deck is `ML Security::Privacy`, a spreadsheet
//! may have no `id` column at all.

use crate::deck::valid_id;

/// An id for a name: `Data poisoning` → `data-poisoning`, `ML Security::Privacy` →
/// `ml-security.privacy` (`::` separates the levels of an Anki deck path). Always a
/// [`valid_id`]; a name with nothing usable in it gets a short hash.
pub fn slug(name: &str) -> String {
    let parts: Vec<String> = name
        .split("::")
        .map(slug_part)
        .filter(|p| !p.is_empty())
        .collect();
    let joined = parts.join(".");
    if joined.is_empty() {
        return format!("x-{:08x}", fnv1a(name.trim().as_bytes()) >> 32);
    }
    if joined.len() > 100 {
        // Keep the readable start, and a hash so that long names sharing it stay apart.
        let mut cut = joined[..80].trim_end_matches(['-', '.', '_']).to_string();
        cut.push_str(&format!("-{:010x}", fnv1a(name.as_bytes()) >> 24));
        return cut;
    }
    debug_assert!(valid_id(&joined));
    joined
}

fn slug_part(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    let mut dash = false;
    for c in part.chars() {
        let folded = fold(c);
        match folded {
            Some(s) => {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push_str(s);
            }
            None if c.is_ascii_alphanumeric() || c == '_' || c == '.' => {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push(c.to_ascii_lowercase());
            }
            None => dash = true,
        }
    }
    out.trim_matches(['-', '.', '_']).to_string()
}

/// Latin letters with diacritics, so that "Sécurité" becomes `securite`, not `s-curit`.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        _ => return None,
    })
}

/// A card id for a row that has none: the first words of its question and a hash of
/// the whole question. Re-importing the same text finds the same card; rewording it
/// makes a new card (the old one is retired), which is why an `id` column is better.
pub fn text_id(text: &str) -> String {
    let normal: Vec<&str> = text.split_whitespace().collect();
    let hash = fnv1a(normal.join(" ").as_bytes());
    let mut words = String::new();
    for word in normal
        .iter()
        .map(|w| slug_part(w))
        .filter(|w| !w.is_empty())
    {
        if words.len() + word.len() + 1 > 40 {
            break;
        }
        if !words.is_empty() {
            words.push('-');
        }
        words.push_str(&word);
    }
    if words.is_empty() {
        format!("q-{:010x}", hash >> 24)
    } else {
        format!("{words}-{:010x}", hash >> 24)
    }
}

/// FNV-1a, 64-bit: stable across releases and platforms (ids derived from it are
/// stored), unlike `std`'s hasher.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_ids() {
        assert_eq!(slug("Data poisoning"), "data-poisoning");
        assert_eq!(slug("ML Security::Privacy"), "ml-security.privacy");
        assert_eq!(slug("  Sécurité des modèles  "), "securite-des-modeles");
        assert_eq!(slug("model_stealing"), "model_stealing");
        assert_eq!(slug("poisoning"), "poisoning");
        assert_eq!(slug("C++ / Rust"), "c-rust");
    }

    #[test]
    fn unusable_and_long_names_still_give_valid_ids() {
        for name in ["日本語", "", "::", "---", &"long name ".repeat(30)] {
            let id = slug(name);
            assert!(valid_id(&id), "{name:?} → {id:?}");
        }
        assert_ne!(slug("日本語"), slug("中文"));
        assert_ne!(
            slug(&format!("{}a", "x".repeat(120))),
            slug(&format!("{}b", "x".repeat(120)))
        );
    }

    #[test]
    fn text_ids_are_stable_readable_and_distinct() {
        let a = text_id("What does DP-SGD  clip?");
        assert_eq!(
            a,
            text_id("What does DP-SGD clip?"),
            "whitespace is not content"
        );
        assert!(a.starts_with("what-does-dp-sgd-clip-"), "{a}");
        assert!(valid_id(&a));
        assert_ne!(a, text_id("What does DP-SGD clip"));
        assert!(valid_id(&text_id("¿¿¿")));
        assert!(valid_id(&text_id(&"word ".repeat(100))));
    }
}
