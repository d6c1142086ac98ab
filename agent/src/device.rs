//! The agent's device key on disk: made on first run, readable by its owner only.
//!
//! The key is an Ed25519 PKCS#8 document (`glass_session::device::DeviceKey`). Its public
//! half is what an administrator enrols (`glass devices enroll --public-key …`); its id is
//! what the broker's records and the helper's warnings name.

use std::path::{Path, PathBuf};

pub use glass_session::device::DeviceKey;

/// The key file could not be read, made or kept private.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeviceKeyError {
    /// Reading or writing failed.
    #[error("device key {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not a device key.
    #[error("device key {path}: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// Where the key lives by default: `$XDG_CONFIG_HOME/glass/device.key` (or
/// `~/.config/glass/device.key`) on Linux, `~/Library/Application Support/Glass/device.key`
/// on macOS, `%APPDATA%\Glass\device.key` on Windows.
pub fn default_path() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let dir = if cfg!(target_os = "macos") {
        env("HOME").map(|h| h.join("Library/Application Support/Glass"))
    } else if cfg!(windows) {
        env("APPDATA").map(|a| a.join("Glass"))
    } else {
        env("XDG_CONFIG_HOME")
            .or_else(|| env("HOME").map(|h| h.join(".config")))
            .map(|c| c.join("glass"))
    }?;
    Some(dir.join("device.key"))
}

/// Reads the key at `path`, or makes one there (directory 0700, file 0600 on Unix) when
/// there is none. A key file others can read is refused on Unix: the key would prove
/// nothing.
pub fn load_or_create(path: &Path) -> Result<DeviceKey, DeviceKeyError> {
    let io = |source| DeviceKeyError::Io {
        path: path.to_owned(),
        source,
    };
    match std::fs::read(path) {
        Ok(bytes) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                let mode = std::fs::metadata(path).map_err(io)?.permissions().mode();
                if mode & 0o077 != 0 {
                    return Err(DeviceKeyError::Invalid {
                        path: path.to_owned(),
                        reason: format!(
                            "readable by others (mode {:o}); run `chmod 600` on it",
                            mode & 0o777
                        ),
                    });
                }
            }
            DeviceKey::from_pkcs8(&bytes).map_err(|e| DeviceKeyError::Invalid {
                path: path.to_owned(),
                reason: e.to_string(),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let (key, doc) = DeviceKey::generate().map_err(|e| DeviceKeyError::Invalid {
                path: path.to_owned(),
                reason: e.to_string(),
            })?;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                let mut builder = std::fs::DirBuilder::new();
                builder.recursive(true);
                #[cfg(unix)]
                std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
                builder.create(dir).map_err(io)?;
            }
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut f = options.open(path).map_err(io)?;
            std::io::Write::write_all(&mut f, &doc).map_err(io)?;
            f.sync_all().map_err(io)?;
            Ok(key)
        }
        Err(e) => Err(io(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("glass-device-{}", std::process::id()));
        let path = dir.join("sub/device.key");
        let key = load_or_create(&path).unwrap();
        let again = load_or_create(&path).unwrap();
        assert_eq!(key.id(), again.id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let dmode = std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(dmode, 0o700);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = load_or_create(&path).unwrap_err().to_string();
            assert!(e.contains("readable by others"), "{e}");
        }
        std::fs::write(dir.join("bad.key"), b"junk").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(dir.join("bad.key"), std::fs::Permissions::from_mode(0o600))
                .unwrap();
        }
        assert!(load_or_create(&dir.join("bad.key")).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
