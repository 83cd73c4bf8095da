//! Build script: rebuild when a migration is added or changed, since `sqlx::migrate!` embeds the
//! `migrations/` folder at compile time and cargo does not track it otherwise.

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
