//! Enrolled devices and their compliance: a JSON file an administrator writes with
//! `glass devices …` (or an inventory export), which the broker watches and re-reads. Each
//! device is known by the id of its agent's public key (`glass_session::device`), belongs to
//! one tenant and may sit in device groups (what role scopes name).
//!
//! A device that is not in the file, or is enrolled in another tenant than its sharer's, is
//! unenrolled for the policy.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use glass_session::device::device_id;
use glass_session::policy::{Compliance, Device};
use serde::{Deserialize, Serialize};

/// What is recorded about a device's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ComplianceState {
    /// Meets the organisation's rules.
    Compliant,
    /// Does not (see `reasons`).
    NotCompliant,
    /// Not recorded.
    #[default]
    Unknown,
}

/// One enrolled device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceRecord {
    /// The agent's public key (base64url, 32 bytes); the id is derived from it.
    pub public_key: String,
    /// A name people recognise: "Sam's laptop".
    pub name: String,
    /// The tenant it belongs to.
    pub tenant: String,
    /// Device groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Compliance.
    #[serde(default)]
    pub compliance: ComplianceState,
    /// Why not compliant.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DevicesFile {
    devices: Vec<DeviceRecord>,
}

/// Why the devices file cannot be used (the operator's fault or the OS's).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DevicesError {
    /// The file could not be read or written.
    #[error("devices file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file or a record is not valid.
    #[error("devices file {path}: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the device and field.
        reason: String,
    },
    /// A command-line value is not acceptable.
    #[error("{field}: {reason}")]
    Field {
        /// The field.
        field: &'static str,
        /// What is allowed.
        reason: String,
    },
}

/// The devices file in memory, by device id.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DeviceRegistry {
    by_id: HashMap<String, DeviceRecord>,
}

/// Largest devices file read.
const MAX_FILE: u64 = 64 << 20;

fn key_bytes(public_key: &str) -> Option<[u8; 32]> {
    use base64::Engine as _;
    if public_key.len() > 64 {
        return None;
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(public_key)
        .ok()?
        .try_into()
        .ok()
}

fn check(record: &DeviceRecord) -> Result<String, (&'static str, String)> {
    let key = key_bytes(&record.public_key).ok_or((
        "public_key",
        "32 bytes of base64url (what `glass share --device-key-info` prints)".to_owned(),
    ))?;
    let text_ok = |s: &str, max: usize| {
        !s.trim().is_empty() && s.len() <= max && !s.chars().any(char::is_control)
    };
    if !text_ok(&record.name, 200) {
        return Err(("name", "1-200 characters, no control characters".into()));
    }
    if !text_ok(&record.tenant, 256) {
        return Err(("tenant", "1-256 characters, no control characters".into()));
    }
    if record.groups.len() > 64 || !record.groups.iter().all(|g| text_ok(g, 256)) {
        return Err(("groups", "at most 64, each 1-256 characters".into()));
    }
    if record.reasons.len() > 16 || !record.reasons.iter().all(|r| text_ok(r, 200)) {
        return Err(("reasons", "at most 16, each 1-200 characters".into()));
    }
    Ok(device_id(&key))
}

impl DeviceRegistry {
    /// Reads and checks the file. A missing file is an empty registry.
    pub fn load(path: &Path) -> Result<DeviceRegistry, DevicesError> {
        let file = read_file(path)?;
        let mut by_id = HashMap::new();
        for (i, record) in file.devices.into_iter().enumerate() {
            let id = check(&record).map_err(|(field, reason)| DevicesError::Invalid {
                path: path.to_owned(),
                reason: format!("devices[{i}] ({:?}).{field}: {reason}", record.name),
            })?;
            if by_id.insert(id.clone(), record).is_some() {
                return Err(DevicesError::Invalid {
                    path: path.to_owned(),
                    reason: format!("devices[{i}]: device {id} is listed twice"),
                });
            }
        }
        Ok(DeviceRegistry { by_id })
    }

    /// A registry of these records (tests, embedding). Invalid records are refused.
    pub fn from_records(records: Vec<DeviceRecord>) -> Result<DeviceRegistry, DevicesError> {
        let mut by_id = HashMap::new();
        for record in records {
            let id =
                check(&record).map_err(|(field, reason)| DevicesError::Field { field, reason })?;
            by_id.insert(id, record);
        }
        Ok(DeviceRegistry { by_id })
    }

    /// A device's record.
    pub fn get(&self, id: &str) -> Option<&DeviceRecord> {
        self.by_id.get(id)
    }

    /// Enrolled devices.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether none are enrolled.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The device as the policy sees it for a sharer of `tenant`: unenrolled when unknown
    /// (`id` is `None`: no proof) or enrolled in another tenant.
    pub fn policy_device(&self, id: Option<&str>, tenant: &str) -> Device {
        match id.and_then(|id| self.by_id.get(id)) {
            Some(r) if r.tenant == tenant => Device {
                enrolled: true,
                compliance: match r.compliance {
                    ComplianceState::Compliant => Compliance::Compliant,
                    ComplianceState::NotCompliant => Compliance::NotCompliant(r.reasons.clone()),
                    ComplianceState::Unknown => Compliance::Unknown,
                },
                groups: r.groups.clone(),
            },
            _ => Device::unenrolled(),
        }
    }

    /// Ids whose record differs between `self` and `other` (added, removed or changed).
    pub fn changed(&self, other: &DeviceRegistry) -> Vec<String> {
        let mut ids: Vec<String> = self
            .by_id
            .iter()
            .filter(|(id, r)| other.by_id.get(*id) != Some(r))
            .map(|(id, _)| id.clone())
            .chain(
                other
                    .by_id
                    .keys()
                    .filter(|id| !self.by_id.contains_key(*id))
                    .cloned(),
            )
            .collect();
        ids.sort();
        ids
    }
}

fn read_file(path: &Path) -> Result<DevicesFile, DevicesError> {
    use std::io::Read as _;
    let io = |source| DevicesError::Io {
        path: path.to_owned(),
        source,
    };
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(DevicesFile::default()),
        Err(e) => return Err(io(e)),
    };
    let mut text = String::new();
    f.take(MAX_FILE + 1).read_to_string(&mut text).map_err(io)?;
    if text.len() as u64 > MAX_FILE {
        return Err(DevicesError::Invalid {
            path: path.to_owned(),
            reason: format!("larger than {MAX_FILE} bytes"),
        });
    }
    serde_json::from_str(&text).map_err(|e| DevicesError::Invalid {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

fn write_file(path: &Path, file: &DevicesFile) -> Result<(), DevicesError> {
    let text = serde_json::to_string_pretty(file).map_err(|e| DevicesError::Invalid {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text.as_bytes())
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|source| DevicesError::Io {
            path: path.to_owned(),
            source,
        })
}

/// Enrols a device (or replaces the record of the same key) in the file; returns its id.
pub fn enroll(path: &Path, record: DeviceRecord) -> Result<String, DevicesError> {
    let id = check(&record).map_err(|(field, reason)| DevicesError::Field { field, reason })?;
    let mut file = read_file(path)?;
    file.devices.retain(|r| r.public_key != record.public_key);
    file.devices.push(record);
    write_file(path, &file)?;
    Ok(id)
}

/// Records a device's compliance; `reasons` are kept for `not_compliant` only.
pub fn set_compliance(
    path: &Path,
    id: &str,
    state: ComplianceState,
    reasons: Vec<String>,
) -> Result<(), DevicesError> {
    let mut file = read_file(path)?;
    let record = file
        .devices
        .iter_mut()
        .find(|r| key_bytes(&r.public_key).is_some_and(|k| device_id(&k) == id))
        .ok_or_else(|| DevicesError::Field {
            field: "device",
            reason: format!("no enrolled device {id}"),
        })?;
    record.compliance = state;
    record.reasons = if state == ComplianceState::NotCompliant {
        reasons
    } else {
        Vec::new()
    };
    check(record).map_err(|(field, reason)| DevicesError::Field { field, reason })?;
    write_file(path, &file)
}

/// Removes a device from the file.
pub fn remove(path: &Path, id: &str) -> Result<(), DevicesError> {
    let mut file = read_file(path)?;
    let before = file.devices.len();
    file.devices
        .retain(|r| key_bytes(&r.public_key).is_none_or(|k| device_id(&k) != id));
    if file.devices.len() == before {
        return Err(DevicesError::Field {
            field: "device",
            reason: format!("no enrolled device {id}"),
        });
    }
    write_file(path, &file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use glass_session::device::DeviceKey;

    fn record(key: &DeviceKey, tenant: &str) -> DeviceRecord {
        DeviceRecord {
            public_key: key.public_key(),
            name: "Sam's laptop".into(),
            tenant: tenant.into(),
            groups: vec!["kiosk".into()],
            compliance: ComplianceState::Unknown,
            reasons: Vec::new(),
        }
    }

    #[test]
    fn enrol_record_compliance_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("devices.json");
        let (key, _) = DeviceKey::generate().unwrap();
        assert!(DeviceRegistry::load(&path).unwrap().is_empty());
        let id = enroll(&path, record(&key, "local")).unwrap();
        assert_eq!(id, key.id());
        let reg = DeviceRegistry::load(&path).unwrap();
        assert_eq!(
            reg.policy_device(Some(&id), "local"),
            Device {
                enrolled: true,
                compliance: Compliance::Unknown,
                groups: vec!["kiosk".into()]
            }
        );
        // Another tenant's sharer, or no proof: unenrolled.
        assert_eq!(reg.policy_device(Some(&id), "other"), Device::unenrolled());
        assert_eq!(reg.policy_device(None, "local"), Device::unenrolled());
        set_compliance(
            &path,
            &id,
            ComplianceState::NotCompliant,
            vec!["Disk not encrypted".into()],
        )
        .unwrap();
        let after = DeviceRegistry::load(&path).unwrap();
        assert_eq!(
            after.policy_device(Some(&id), "local").compliance,
            Compliance::NotCompliant(vec!["Disk not encrypted".into()])
        );
        assert_eq!(reg.changed(&after), vec![id.clone()]);
        remove(&path, &id).unwrap();
        assert!(DeviceRegistry::load(&path).unwrap().is_empty());
        assert!(remove(&path, &id).is_err());
    }

    #[test]
    fn bad_files_and_fields_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("devices.json");
        std::fs::write(
            &path,
            r#"{"devices":[{"public_key":"AAAA","name":"x","tenant":"t"}]}"#,
        )
        .unwrap();
        let e = DeviceRegistry::load(&path).unwrap_err().to_string();
        assert!(e.contains("devices[0]") && e.contains("public_key"), "{e}");
        std::fs::write(&path, "{").unwrap();
        assert!(DeviceRegistry::load(&path).is_err());
        let (key, _) = DeviceKey::generate().unwrap();
        let mut r = record(&key, "local");
        r.name = "\u{7}".into();
        assert!(matches!(
            enroll(&path, r),
            Err(DevicesError::Field { field: "name", .. })
        ));
    }
}
