//! The `ku8portal` binary: parses the command line and hands over to the library.

/// mimalloc instead of glibc's allocator: glibc keeps the peak of a burst (the simulated
/// cluster creating 30,000 pods) in its arenas; with mimalloc the resident size of that cluster
/// is about 30% lower at the same speed (docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    ku8portal::cli::main()
}
