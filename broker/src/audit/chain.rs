//! The hash chain, independent of SQL: the canonical encoding of a row, its hash, and the
//! verification of a sequence of rows read back from any store.
//!
//! Every row's `hash` is SHA-256 over a canonical encoding of all its other fields, its
//! `prev_hash` included, so changing any field of any row, removing a row or slipping one in
//! breaks the chain at that row. The encoding is unambiguous: a domain tag, then each field
//! in a fixed order, integers as 8 big-endian bytes, text as an 8-byte length and its UTF-8
//! bytes, absent optional text as one `0` byte (present: `1`, then the text), the previous
//! hash as its 32 raw bytes. Two different rows never encode to the same bytes.
//!
//! Rows read back are input: nothing here panics on any content (bad hex, negative numbers,
//! text that is not JSON), it reports the row instead.

use sha2::{Digest, Sha256};

/// `prev_hash` of the first row ever written.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The stored code of the row the prune job writes (`audit_pruned`); its detail names the
/// last pruned row, which is where verification picks the chain up again.
pub const PRUNED_CODE: i64 = 800;

const DOMAIN: &[u8] = b"glass-audit-v1";

/// What is appended: a row before it gets its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// When, Unix ms.
    pub at: i64,
    /// The tenant the event belongs to.
    pub tenant: String,
    /// `helper`, `sharer`, `user`, `device`, `admin` or `broker`.
    pub actor_kind: String,
    /// The actor's stable id (user id, device id; `broker` for the broker).
    pub actor_id: String,
    /// The actor's name when the event happened (copied: history survives a deletion).
    pub actor_name: String,
    /// Source address, where known.
    pub source: Option<String>,
    /// Help session id (16 hex digits), where there is one.
    pub session: Option<String>,
    /// The pinned event code.
    pub code: i64,
    /// The event's snake_case name.
    pub name: String,
    /// The event's fields as JSON text.
    pub detail: String,
}

/// A stored row: an [`Entry`] with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Position in the chain: 1, 2, 3… with no gaps.
    pub seq: i64,
    /// What was recorded.
    pub entry: Entry,
    /// The previous row's `hash` ([`GENESIS`] for seq 1), lowercase hex.
    pub prev_hash: String,
    /// SHA-256 of the canonical encoding, lowercase hex.
    pub hash: String,
}

/// The last row written, as the store's one-row head table records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// Its seq (0 before anything was written).
    pub seq: i64,
    /// Its hash ([`GENESIS`] before anything was written).
    pub hash: String,
}

impl Head {
    /// The head of an empty trail.
    pub fn genesis() -> Head {
        Head {
            seq: 0,
            hash: GENESIS.to_owned(),
        }
    }
}

fn put_int(out: &mut Vec<u8>, v: i64) {
    out.extend_from_slice(&v.to_be_bytes());
}

fn put_text(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u64).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn put_opt(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            put_text(out, s);
        }
    }
}

/// The canonical bytes of a row's content; `None` if `prev_hash` is not 64 hex digits.
pub fn canonical(seq: i64, entry: &Entry, prev_hash: &str) -> Option<Vec<u8>> {
    let prev = decode_hash(prev_hash)?;
    let e = entry;
    let mut out = Vec::with_capacity(160 + e.detail.len());
    out.extend_from_slice(DOMAIN);
    put_int(&mut out, seq);
    put_int(&mut out, e.at);
    put_text(&mut out, &e.tenant);
    put_text(&mut out, &e.actor_kind);
    put_text(&mut out, &e.actor_id);
    put_text(&mut out, &e.actor_name);
    put_opt(&mut out, e.source.as_deref());
    put_opt(&mut out, e.session.as_deref());
    put_int(&mut out, e.code);
    put_text(&mut out, &e.name);
    put_text(&mut out, &e.detail);
    out.extend_from_slice(&prev);
    Some(out)
}

/// The hash of a row's content, lowercase hex; `None` if `prev_hash` is not 64 hex digits.
pub fn hash_of(seq: i64, entry: &Entry, prev_hash: &str) -> Option<String> {
    canonical(seq, entry, prev_hash).map(|bytes| hex(&Sha256::digest(&bytes)))
}

/// Places `entry` after `head`: the row to insert.
pub fn seal(head: &Head, entry: Entry) -> Row {
    let seq = head.seq.saturating_add(1);
    // The head's hash was written by `seal` (or is GENESIS): always 64 hex digits. Should a
    // tampered head table hold anything else, chain from GENESIS: verification then names
    // this row, which is the truth (its predecessor's hash is not a hash).
    let prev_hash = if decode_hash(&head.hash).is_some() {
        head.hash.clone()
    } else {
        GENESIS.to_owned()
    };
    let hash = hash_of(seq, &entry, &prev_hash).unwrap_or_default();
    Row {
        seq,
        entry,
        prev_hash,
        hash,
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

fn decode_hash(s: &str) -> Option<[u8; 32]> {
    let s = s.as_bytes();
    if s.len() != 64 {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; 32];
    for (i, pair) in s.chunks_exact(2).enumerate() {
        out[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

/// What is wrong with the chain, at [`Broken::seq`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// The row's hash does not match its content: a field was changed after it was written.
    Edited,
    /// Rows `from..=to` are missing between two rows that are present: deleted.
    Missing {
        /// First missing seq.
        from: i64,
        /// Last missing seq.
        to: i64,
    },
    /// The row's `prev_hash` is not the previous row's hash: the previous row was rewritten
    /// (hash recomputed), or this row was forged and slipped in.
    Unlinked,
    /// This row (the one before the first present) and those before it are missing, and no
    /// `audit_pruned` record says they were pruned.
    Unanchored,
    /// A row past the head the store recorded when it last appended: inserted.
    AfterHead {
        /// The recorded head's seq.
        head: i64,
    },
    /// The trail ends before the recorded head: the newest rows were deleted.
    Truncated {
        /// The recorded head's seq.
        head: i64,
    },
    /// The newest row is not the recorded head (its hash differs).
    HeadMismatch,
    /// The row is not what was expected at an externally recorded anchor.
    AnchorMismatch,
    /// A stored field is not well formed (what is wrong).
    Malformed(&'static str),
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Edited => f.write_str("edited: its hash does not match its content"),
            Fault::Missing { from, to } if from == to => {
                write!(f, "deleted: seq {from} is missing")
            }
            Fault::Missing { from, to } => write!(f, "deleted: seq {from}..={to} are missing"),
            Fault::Unlinked => {
                f.write_str("inserted or rewritten: its prev_hash is not the previous row's hash")
            }
            Fault::Unanchored => f.write_str(
                "deleted: it and the rows before it are missing and no audit_pruned record \
                 covers them",
            ),
            Fault::AfterHead { head } => {
                write!(f, "inserted: it comes after the recorded head (seq {head})")
            }
            Fault::Truncated { head } => write!(
                f,
                "deleted: the trail ends here but the recorded head is seq {head}"
            ),
            Fault::HeadMismatch => f.write_str("rewritten: it is not the recorded head"),
            Fault::AnchorMismatch => {
                f.write_str("rewritten: its hash is not the externally recorded one")
            }
            Fault::Malformed(what) => write!(f, "malformed: {what}"),
        }
    }
}

/// The first bad row and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("seq {seq}: {fault}")]
pub struct Broken {
    /// The first bad row's seq (for a deletion, the first missing seq).
    pub seq: i64,
    /// What is wrong.
    pub fault: Fault,
}

/// An intact chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Rows checked.
    pub rows: u64,
    /// First and last seq (`None`: empty).
    pub range: Option<(i64, i64)>,
    /// The newest row's hash (what to record externally).
    pub head_hash: String,
}

/// Checks rows in seq order, one at a time ([`Verifier::push`]), then the end of the trail
/// against the recorded head ([`Verifier::finish`]). Stops at the first fault.
#[derive(Debug)]
pub struct Verifier {
    head: Head,
    anchor: Option<Head>,
    anchor_seen: bool,
    last: Option<(i64, String)>,
    first: Option<i64>,
    /// The first row's seq - 1 and its prev_hash, while no prune record vouches for them.
    unanchored: Option<(i64, String)>,
    rows: u64,
}

impl Verifier {
    /// A verifier for a trail whose store recorded `head`; `anchor`, if given, is a row
    /// (seq and hash) recorded outside the store, which must be present and unchanged.
    pub fn new(head: Head, anchor: Option<Head>) -> Verifier {
        Verifier {
            head,
            anchor,
            anchor_seen: false,
            last: None,
            first: None,
            unanchored: None,
            rows: 0,
        }
    }

    /// The next row, in seq order.
    pub fn push(&mut self, row: &Row) -> Result<(), Broken> {
        let broken = |fault| Broken {
            seq: row.seq,
            fault,
        };
        if row.seq < 1 {
            return Err(broken(Fault::Malformed("seq is not positive")));
        }
        if row.seq > self.head.seq {
            return Err(broken(Fault::AfterHead {
                head: self.head.seq,
            }));
        }
        let Some(hash) = hash_of(row.seq, &row.entry, &row.prev_hash) else {
            return Err(broken(Fault::Malformed("prev_hash is not 64 hex digits")));
        };
        match &self.last {
            None => {
                if row.seq == 1 {
                    if row.prev_hash != GENESIS {
                        return Err(broken(Fault::Unlinked));
                    }
                } else {
                    self.unanchored = Some((row.seq - 1, row.prev_hash.clone()));
                }
                self.first = Some(row.seq);
            }
            Some((seq, prev)) => {
                if row.seq <= *seq {
                    return Err(broken(Fault::Malformed("seq out of order")));
                }
                if row.seq != seq + 1 {
                    return Err(Broken {
                        seq: seq + 1,
                        fault: Fault::Missing {
                            from: seq + 1,
                            to: row.seq - 1,
                        },
                    });
                }
                if row.prev_hash != *prev {
                    return Err(broken(Fault::Unlinked));
                }
            }
        }
        if hash != row.hash {
            return Err(broken(Fault::Edited));
        }
        if let Some(anchor) = &self.anchor
            && anchor.seq == row.seq
        {
            if anchor.hash != row.hash {
                return Err(broken(Fault::AnchorMismatch));
            }
            self.anchor_seen = true;
        }
        if row.entry.code == PRUNED_CODE
            && let Some((seq, prev)) = &self.unanchored
            && pruned_up_to(&row.entry.detail).is_some_and(|(s, h)| s == *seq && h == *prev)
        {
            self.unanchored = None;
        }
        self.last = Some((row.seq, row.hash.clone()));
        self.rows += 1;
        Ok(())
    }

    /// The end of the trail.
    pub fn finish(self) -> Result<Summary, Broken> {
        if let Some((seq, _)) = self.unanchored {
            return Err(Broken {
                seq,
                fault: Fault::Unanchored,
            });
        }
        let (last_seq, last_hash) = self.last.clone().unwrap_or((0, GENESIS.to_owned()));
        if last_seq < self.head.seq {
            return Err(Broken {
                seq: last_seq + 1,
                fault: Fault::Truncated {
                    head: self.head.seq,
                },
            });
        }
        if last_hash != self.head.hash {
            return Err(Broken {
                seq: last_seq,
                fault: Fault::HeadMismatch,
            });
        }
        if let Some(anchor) = &self.anchor
            && !self.anchor_seen
        {
            // The anchored row is gone: pruned legitimately only if the trail starts after it.
            if self.first.is_none_or(|first| anchor.seq >= first) {
                return Err(Broken {
                    seq: anchor.seq,
                    fault: Fault::Missing {
                        from: anchor.seq,
                        to: anchor.seq,
                    },
                });
            }
        }
        Ok(Summary {
            rows: self.rows,
            range: self.first.map(|f| (f, last_seq)),
            head_hash: last_hash,
        })
    }
}

/// `(last_seq, last_hash)` from an `audit_pruned` row's detail.
pub fn pruned_up_to(detail: &str) -> Option<(i64, String)> {
    let v: serde_json::Value = serde_json::from_str(detail).ok()?;
    let seq = v.get("last_seq")?.as_i64()?;
    let hash = v.get("last_hash")?.as_str()?.to_owned();
    Some((seq, hash))
}

/// Verifies a whole trail in memory.
pub fn verify<'a>(
    head: Head,
    anchor: Option<Head>,
    rows: impl IntoIterator<Item = &'a Row>,
) -> Result<Summary, Broken> {
    let mut v = Verifier::new(head, anchor);
    for row in rows {
        v.push(row)?;
    }
    v.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(i: i64) -> Entry {
        Entry {
            at: 1_765_000_000_000 + i,
            tenant: "local".into(),
            actor_kind: "helper".into(),
            actor_id: "local:ada".into(),
            actor_name: "Ada Lovelace".into(),
            source: Some("127.0.0.1".into()),
            session: Some("00000000000000ab".into()),
            code: 300,
            name: "consent_requested".into(),
            detail: format!(r#"{{"id":{i},"level":"view"}}"#),
        }
    }

    fn trail(n: i64) -> (Vec<Row>, Head) {
        let mut head = Head::genesis();
        let mut rows = Vec::new();
        for i in 0..n {
            let row = seal(&head, entry(i));
            head = Head {
                seq: row.seq,
                hash: row.hash.clone(),
            };
            rows.push(row);
        }
        (rows, head)
    }

    fn fault(rows: &[Row], head: Head) -> (i64, Fault) {
        let b = verify(head, None, rows).unwrap_err();
        (b.seq, b.fault)
    }

    #[test]
    fn an_intact_trail_verifies() {
        let (rows, head) = trail(5);
        let s = verify(head.clone(), None, &rows).unwrap();
        assert_eq!((s.rows, s.range, s.head_hash), (5, Some((1, 5)), head.hash));
        assert_eq!(rows[0].prev_hash, GENESIS);
        assert_eq!(verify(Head::genesis(), None, &[]).unwrap().rows, 0);
    }

    #[test]
    fn an_edited_field_is_named() {
        let (mut rows, head) = trail(5);
        rows[2].entry.detail = r#"{"id":2,"level":"full"}"#.into();
        assert_eq!(fault(&rows, head.clone()), (3, Fault::Edited));
        // Any field: the name, the source taken away, the time.
        let (mut rows, _) = trail(5);
        rows[1].entry.source = None;
        assert_eq!(fault(&rows, head.clone()), (2, Fault::Edited));
        let (mut rows, _) = trail(5);
        rows[3].entry.actor_name = "Eve".into();
        assert_eq!(fault(&rows, head), (4, Fault::Edited));
    }

    #[test]
    fn an_edit_with_a_recomputed_hash_breaks_the_next_link() {
        let (mut rows, head) = trail(5);
        rows[2].entry.detail = "{}".into();
        rows[2].hash = hash_of(3, &rows[2].entry, &rows[2].prev_hash).unwrap();
        assert_eq!(fault(&rows, head), (4, Fault::Unlinked));
    }

    #[test]
    fn a_deleted_row_is_named() {
        let (mut rows, head) = trail(6);
        rows.remove(2);
        assert_eq!(
            fault(&rows, head.clone()),
            (3, Fault::Missing { from: 3, to: 3 })
        );
        let (mut rows, _) = trail(6);
        rows.pop();
        assert_eq!(
            fault(&rows, head.clone()),
            (6, Fault::Truncated { head: 6 })
        );
        let (mut rows, _) = trail(6);
        rows.remove(0);
        assert_eq!(fault(&rows, head), (1, Fault::Unanchored));
        let (rows, head) = trail(6);
        assert_eq!(fault(&rows[3..], head), (3, Fault::Unanchored));
    }

    #[test]
    fn an_inserted_row_is_named() {
        // A forged row, correctly hashed and linked, after the head: the head table says no.
        let (mut rows, head) = trail(4);
        let forged = seal(
            &Head {
                seq: 4,
                hash: rows[3].hash.clone(),
            },
            entry(99),
        );
        rows.push(forged);
        assert_eq!(fault(&rows, head), (5, Fault::AfterHead { head: 4 }));
        // Renumbered to fit in the middle: it cannot link.
        let (mut rows, head) = trail(4);
        let mut forged = seal(&Head::genesis(), entry(99));
        forged.seq = 3;
        forged.hash = hash_of(3, &forged.entry, &forged.prev_hash).unwrap();
        rows[2] = forged;
        assert_eq!(fault(&rows, head), (3, Fault::Unlinked));
    }

    #[test]
    fn hostile_rows_never_panic() {
        let (mut rows, head) = trail(3);
        rows[1].prev_hash = "zz".into();
        assert!(matches!(
            fault(&rows, head.clone()),
            (2, Fault::Malformed(_))
        ));
        let (mut rows, _) = trail(3);
        rows[0].seq = -1;
        assert!(matches!(
            fault(&rows, head.clone()),
            (-1, Fault::Malformed(_))
        ));
        let (mut rows, _) = trail(3);
        rows[1].prev_hash = "A".repeat(64);
        assert!(matches!(
            fault(&rows, head.clone()),
            (2, Fault::Malformed(_))
        ));
        let (mut rows, _) = trail(3);
        rows.swap(0, 1);
        assert!(verify(head.clone(), None, &rows).is_err());
        let (mut rows, _) = trail(3);
        rows[2].seq = i64::MAX;
        assert!(verify(head, None, &rows).is_err());
        // A tampered head table: sealing after it still yields a row verification names.
        let bad_head = Head {
            seq: 3,
            hash: "not hex".into(),
        };
        assert_eq!(seal(&bad_head, entry(1)).prev_hash, GENESIS);
    }

    #[test]
    fn pruning_restarts_the_chain_at_the_recorded_row() {
        let (rows, _) = trail(6);
        let last = &rows[2];
        let record = Entry {
            code: PRUNED_CODE,
            name: "audit_pruned".into(),
            detail: format!(
                r#"{{"count":3,"last_seq":{},"last_hash":"{}"}}"#,
                last.seq, last.hash
            ),
            ..entry(7)
        };
        let mut kept: Vec<Row> = rows[3..].to_vec();
        let tail = Head {
            seq: 6,
            hash: rows[5].hash.clone(),
        };
        let row = seal(&tail, record);
        let head = Head {
            seq: row.seq,
            hash: row.hash.clone(),
        };
        kept.push(row);
        let s = verify(head.clone(), None, &kept).unwrap();
        assert_eq!(s.range, Some((4, 7)));
        // Deleting one more old row without a record is still found.
        assert_eq!(fault(&kept[1..], head.clone()), (4, Fault::Unanchored));
        // An external anchor that was pruned is fine; one that vanished from the middle is not.
        let pruned = Head {
            seq: 2,
            hash: rows[1].hash.clone(),
        };
        assert!(verify(head.clone(), Some(pruned), &kept).is_ok());
        let wrong = Head {
            seq: 5,
            hash: GENESIS.into(),
        };
        assert_eq!(
            verify(head, Some(wrong), &kept).unwrap_err().fault,
            Fault::AnchorMismatch
        );
    }

    #[test]
    fn the_encoding_is_unambiguous() {
        // Moving bytes between adjacent text fields changes the encoding.
        let a = Entry {
            tenant: "ab".into(),
            actor_kind: "c".into(),
            ..entry(1)
        };
        let b = Entry {
            tenant: "a".into(),
            actor_kind: "bc".into(),
            ..entry(1)
        };
        assert_ne!(canonical(1, &a, GENESIS), canonical(1, &b, GENESIS));
        // An absent source is not an empty one.
        let c = Entry {
            source: None,
            ..entry(1)
        };
        let d = Entry {
            source: Some(String::new()),
            ..entry(1)
        };
        assert_ne!(hash_of(1, &c, GENESIS), hash_of(1, &d, GENESIS));
        // Pinned: this value is stored; changing the encoding is a new domain tag.
        assert_eq!(hash_of(1, &entry(0), GENESIS).unwrap().len(), 64);
    }
}
