//! A small seeded generator for shuffling options and sampling mock questions.
//!
//! SplitMix64: reproducible across platforms and releases for a given `--seed`, which a
//! general-purpose RNG crate does not promise.

/// The largest integer a double holds exactly: 2^53 − 1.
const MAX_EXACT_IN_JSON: u64 = (1 << 53) - 1;

#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A seed from the process: varies per run when the user gave no `--seed`. At most
    /// 2^53 − 1, so that the seed a mock reports survives a JSON reader that holds
    /// numbers as doubles (JavaScript's does) and can be given back to `--seed`.
    pub fn entropy() -> u64 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        (nanos ^ (u64::from(std::process::id()) << 32)) & MAX_EXACT_IN_JSON
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), without modulo bias.
    pub fn below(&mut self, n: usize) -> usize {
        let n = n.max(1) as u64;
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return (x % n) as usize;
            }
        }
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawn_seed_survives_a_json_reader_that_uses_doubles() {
        for _ in 0..100 {
            let seed = Rng::entropy();
            assert_eq!(seed as f64 as u64, seed);
        }
    }

    #[test]
    fn same_seed_same_order() {
        let mut a: Vec<u32> = (0..8).collect();
        let mut b = a.clone();
        Rng::new(7).shuffle(&mut a);
        Rng::new(7).shuffle(&mut b);
        assert_eq!(a, b);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..8).collect::<Vec<_>>());
    }

    #[test]
    fn every_position_is_reachable() {
        let mut rng = Rng::new(1);
        let mut first_seen = [false; 4];
        for _ in 0..200 {
            let mut v = [0, 1, 2, 3];
            rng.shuffle(&mut v);
            first_seen[v[0]] = true;
        }
        assert_eq!(first_seen, [true; 4]);
    }
}
