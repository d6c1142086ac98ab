//! Session codes: 8 characters of Crockford base32 that a helper reads to a sharer, and the
//! [`CodeBook`] that issues and redeems them with lockouts.

mod book;

use std::fmt;

use rand_core::RngCore;

pub use book::{
    CodeBook, CodeBookConfig, CodeStats, GLOBAL_WINDOW, IssueError, Issued, MAX_DURATION,
    PRUNE_INTERVAL, RedeemError, address_key,
};

/// Crockford's base32 alphabet: no `I`, `L`, `O`, `U`.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A session code: 40 random bits, 8 characters of 5 bits.
///
/// `Debug` does not show the code (it is a short-lived secret); use [`Code::canonical`] or
/// [`Code::display`] where it is meant to be seen.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code(u64);

/// Why text is not a code. [`CodeBook::redeem`] folds both into one answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodeParseError {
    /// Not 8 code characters once spaces and hyphens are dropped.
    #[error("a code has 8 characters")]
    WrongLength,
    /// A character outside Crockford base32 (after the `O`/`I`/`L` aliases).
    #[error("a code has only the characters 0-9 and A-Z without U")]
    BadCharacter,
}

impl Code {
    /// Characters in a code.
    pub const LEN: usize = 8;
    /// Random bits in a code.
    pub const BITS: u32 = 40;

    /// A fresh code: 5 bytes from `rng`, 5 bits per character, so every character is
    /// uniform over the 32 symbols (no modulo bias). Give it a CSPRNG: the broker passes the
    /// OS generator ([`Code::generate_os`]).
    pub fn generate<R: RngCore + ?Sized>(rng: &mut R) -> Code {
        let mut bytes = [0u8; 5];
        rng.fill_bytes(&mut bytes);
        Code::from_bytes(bytes)
    }

    /// A fresh code from the operating system's CSPRNG.
    pub fn generate_os() -> Result<Code, rand_core::OsError> {
        use rand_core::TryRngCore;
        let mut bytes = [0u8; 5];
        rand_core::OsRng.try_fill_bytes(&mut bytes)?;
        Ok(Code::from_bytes(bytes))
    }

    fn from_bytes(bytes: [u8; 5]) -> Code {
        Code(bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    /// The 40 bits.
    pub fn bits(self) -> u64 {
        self.0
    }

    /// A code from its 40 bits (`None` if a higher bit is set).
    pub fn from_bits(bits: u64) -> Option<Code> {
        (bits >> Code::BITS == 0).then_some(Code(bits))
    }

    /// Reads a code as a person typed it: any case, spaces (any whitespace) and hyphens
    /// ignored, `O`→`0`, `I` and `L`→`1`; anything else refused.
    pub fn parse(text: &str) -> Result<Code, CodeParseError> {
        let mut bits = 0u64;
        let mut n = 0usize;
        for c in text.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let value = symbol_value(c).ok_or(CodeParseError::BadCharacter)?;
            n += 1;
            if n > Code::LEN {
                return Err(CodeParseError::WrongLength);
            }
            bits = (bits << 5) | u64::from(value);
        }
        if n != Code::LEN {
            return Err(CodeParseError::WrongLength);
        }
        Ok(Code(bits))
    }

    fn chars(self) -> [char; 8] {
        let mut out = ['0'; 8];
        for (i, c) in out.iter_mut().enumerate() {
            let shift = 5 * (Code::LEN - 1 - i);
            *c = char::from(ALPHABET[((self.0 >> shift) & 31) as usize]);
        }
        out
    }

    /// The canonical form, as in the `code` message: `4060R0GX`.
    pub fn canonical(self) -> String {
        self.chars().iter().collect()
    }

    /// Grouped for reading aloud: `4060 R0GX`.
    pub fn display(self) -> String {
        let c = self.chars();
        let mut s: String = c[..4].iter().collect();
        s.push(' ');
        s.extend(&c[4..]);
        s
    }
}

/// The canonical form (`4060R0GX`), as [`Code::canonical`].
impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.chars()
            .iter()
            .try_for_each(|c| fmt::Write::write_char(f, *c))
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Code(<redacted>)")
    }
}

fn symbol_value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        c => c,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .and_then(|p| u8::try_from(p).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    #[test]
    fn canonical_and_display() {
        let code = Code::parse("4060R0GX").unwrap();
        assert_eq!(code.canonical(), "4060R0GX");
        assert_eq!(code.display(), "4060 R0GX");
        assert_eq!(code.to_string(), "4060R0GX");
        assert_eq!(format!("{code:?}"), "Code(<redacted>)");
        assert_eq!(Code::from_bits(0).unwrap().canonical(), "00000000");
        assert_eq!(
            Code::from_bits((1 << 40) - 1).unwrap().canonical(),
            "ZZZZZZZZ"
        );
        assert_eq!(Code::from_bits(1 << 40), None);
    }

    #[test]
    fn parse_table() {
        let ok = [
            ("4060R0GX", "4060R0GX"),
            ("4060 r0gx", "4060R0GX"),
            ("4060-R0GX", "4060R0GX"),
            (" 40 60 - r0 gx ", "4060R0GX"),
            ("4060\tR0GX\n", "4060R0GX"),
            ("4060\u{a0}R0GX", "4060R0GX"), // no-break space from a copy-paste
            ("4o6O ROGX", "4060R0GX"),      // O and o read as zero
            ("iIlL 1111", "11111111"),      // I, i, L, l read as one
            ("abcd efgh", "ABCDEFGH"),
            ("zzzz-zzzz", "ZZZZZZZZ"),
            ("--------0000----0000", "00000000"),
        ];
        for (text, want) in ok {
            assert_eq!(
                Code::parse(text).map(Code::canonical).as_deref(),
                Ok(want),
                "{text:?}"
            );
        }
        let bad = [
            ("", CodeParseError::WrongLength),
            ("   -  ", CodeParseError::WrongLength),
            ("4060R0G", CodeParseError::WrongLength),
            ("4060R0GXX", CodeParseError::WrongLength),
            ("4060R0GU", CodeParseError::BadCharacter), // U is not Crockford
            ("4060R0G!", CodeParseError::BadCharacter),
            ("4060_R0GX", CodeParseError::BadCharacter),
            ("4060.R0GX", CodeParseError::BadCharacter),
            ("４０６０R0GX", CodeParseError::BadCharacter), // full-width digits
            ("4060R0GÉ", CodeParseError::BadCharacter),
            ("4060R0G\u{0}", CodeParseError::BadCharacter),
        ];
        for (text, want) in bad {
            assert_eq!(Code::parse(text), Err(want), "{text:?}");
        }
        // A long input stops at the ninth character.
        assert_eq!(
            Code::parse(&"A".repeat(100_000)),
            Err(CodeParseError::WrongLength)
        );
    }

    #[test]
    fn every_symbol_round_trips() {
        for (i, &s) in ALPHABET.iter().enumerate() {
            let text: String = std::iter::repeat_n(char::from(s), 8).collect();
            let code = Code::parse(&text).unwrap();
            assert_eq!(code.canonical(), text);
            assert_eq!(code.bits() & 31, i as u64);
            assert_eq!(Code::parse(&text.to_lowercase()), Ok(code));
        }
    }

    /// Per-position character frequencies of 10^6 codes from a seeded CSPRNG: chi-square with
    /// 31 degrees of freedom must stay below the 0.999 critical value (61.098). Deterministic.
    #[test]
    fn chi_square_per_position() {
        const N: usize = 1_000_000;
        let mut rng = ChaCha20Rng::seed_from_u64(0x6c61_7373);
        let mut counts = [[0u32; 32]; Code::LEN];
        for _ in 0..N {
            let bits = Code::generate(&mut rng).bits();
            for (pos, row) in counts.iter_mut().enumerate() {
                row[((bits >> (5 * (Code::LEN - 1 - pos))) & 31) as usize] += 1;
            }
        }
        let expected = N as f64 / 32.0;
        for (pos, row) in counts.iter().enumerate() {
            let chi2: f64 = row
                .iter()
                .map(|&c| (f64::from(c) - expected).powi(2) / expected)
                .sum();
            assert!(chi2 < 61.098, "position {pos}: chi-square {chi2:.1}");
        }
    }

    #[test]
    fn os_rng_smoke() {
        let codes: Vec<Code> = (0..1000).map(|_| Code::generate_os().unwrap()).collect();
        for &c in &codes {
            assert_eq!(Code::parse(&c.display()), Ok(c));
            assert!(c.bits() < 1 << 40);
        }
        let mut distinct = codes.iter().map(|c| c.bits()).collect::<Vec<_>>();
        distinct.sort_unstable();
        distinct.dedup();
        // 1000 draws from 2^40: a repeat would be a broken generator.
        assert_eq!(distinct.len(), 1000);
    }

    proptest::proptest! {
        #[test]
        fn display_and_canonical_parse_back(bits in 0u64..(1 << 40)) {
            let code = Code::from_bits(bits).unwrap();
            proptest::prop_assert_eq!(Code::parse(&code.canonical()), Ok(code));
            proptest::prop_assert_eq!(Code::parse(&code.display()), Ok(code));
            proptest::prop_assert_eq!(Code::parse(&code.display().to_lowercase()), Ok(code));
        }

        #[test]
        fn parse_never_panics(text in ".*") {
            let _ = Code::parse(&text);
        }
    }
}
