//! SysV shared-memory segments that the X server writes frames into (MIT-SHM).
//!
//! A segment is created private (`IPC_PRIVATE`), mapped, and marked for removal at once
//! (`IPC_RMID`): Linux lets the X server attach a segment so marked, and the kernel frees it
//! when the last mapping goes, so no segment outlives the processes that use it even if one
//! of them crashes.

use std::any::Any;
use std::io;
use std::ptr::NonNull;

use glass_codecs::PixelStorage;

/// One mapped segment, known to the X server as `xid` once attached.
///
/// The X server writes into it only while the capturer holds the sole `Arc` to it (it hands a
/// segment to `ShmGetImage` only when `Arc::strong_count == 1` and waits for the reply before
/// sharing it), so readers never see it change under them.
pub(super) struct ShmSegment {
    addr: NonNull<u8>,
    len: usize,
    shmid: i32,
    /// The MIT-SHM `Seg` id the capturer attached it as.
    pub(super) xid: u32,
}

// SAFETY: the mapping is plain memory owned by this value; it has no thread affinity.
unsafe impl Send for ShmSegment {}
// SAFETY: shared access is read-only: writes happen through `bytes_mut` (needs `&mut`) or by
// the X server while the capturer holds the only reference (see the type's docs).
unsafe impl Sync for ShmSegment {}

impl ShmSegment {
    /// Creates and maps a zeroed segment of `len` bytes. `xid` is the id it will be attached
    /// under.
    pub(super) fn new(len: usize, xid: u32) -> io::Result<Self> {
        if len == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "empty shared-memory segment",
            ));
        }
        // SAFETY: shmget takes no pointers; it creates a new private segment or fails.
        let shmid = unsafe { libc::shmget(libc::IPC_PRIVATE, len, libc::IPC_CREAT | 0o600) };
        if shmid < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `shmid` is a segment we just created; a null address lets the kernel choose
        // where to map it.
        let addr = unsafe { libc::shmat(shmid, std::ptr::null(), 0) };
        let attach_err = (addr as isize == -1).then(io::Error::last_os_error);
        // Mark it for removal now, mapped or not, so it can never leak.
        // SAFETY: IPC_RMID takes no buffer (a null `shmid_ds` is allowed).
        unsafe { libc::shmctl(shmid, libc::IPC_RMID, std::ptr::null_mut()) };
        if let Some(e) = attach_err {
            return Err(e);
        }
        let addr = NonNull::new(addr.cast::<u8>())
            .ok_or_else(|| io::Error::other("shmat returned null"))?;
        Ok(Self {
            addr,
            len,
            shmid,
            xid,
        })
    }

    /// The SysV id to pass to `ShmAttach`.
    pub(super) fn shmid(&self) -> u32 {
        self.shmid as u32
    }
}

impl Drop for ShmSegment {
    fn drop(&mut self) {
        // SAFETY: `addr` is the address shmat returned and nothing borrows the mapping any
        // more (borrows of `self` have ended). The segment was already marked IPC_RMID, so the
        // kernel frees it once the X server has detached too.
        unsafe { libc::shmdt(self.addr.as_ptr().cast()) };
    }
}

impl PixelStorage for ShmSegment {
    fn bytes(&self) -> &[u8] {
        // SAFETY: `addr..addr+len` is mapped for as long as `self` lives, and no one writes it
        // while it is shared (see the type's docs).
        unsafe { std::slice::from_raw_parts(self.addr.as_ptr(), self.len) }
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `bytes`; `&mut self` means no other reference to the mapping exists in
        // this process, and the X server writes only during a `ShmGetImage` the capturer waits
        // for.
        unsafe { std::slice::from_raw_parts_mut(self.addr.as_ptr(), self.len) }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_is_zeroed_writable_and_removed_at_once() {
        let mut s = ShmSegment::new(4096, 0).expect("shmget works in tests");
        assert!(s.bytes().iter().all(|&b| b == 0));
        s.bytes_mut()[10] = 7;
        assert_eq!(s.bytes()[10], 7);
        // Already marked for removal: IPC_STAT shows SHM_DEST (0o1000 on Linux; libc lacks it).
        const SHM_DEST: u32 = 0o1000;
        // SAFETY: all-zero is a valid `shmid_ds`.
        let mut ds: libc::shmid_ds = unsafe { std::mem::zeroed() };
        // SAFETY: `ds` is a valid, writable `shmid_ds`.
        let r = unsafe { libc::shmctl(s.shmid, libc::IPC_STAT, &mut ds) };
        assert_eq!(r, 0);
        assert_ne!(u32::from(ds.shm_perm.mode) & SHM_DEST, 0);
    }
}
