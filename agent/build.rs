//! The local approval page embeds `web/` with `include_dir!`, which cannot tell Cargo what it
//! read: rebuild when anything under `web/` changes.

fn main() {
    println!("cargo::rerun-if-changed=../web/agent");
    println!("cargo::rerun-if-changed=../web/lib");
    println!("cargo::rerun-if-changed=../web/i18n");
    println!("cargo::rerun-if-changed=../web/vendor");
}
