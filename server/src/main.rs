//! The `ku8portal` binary: parses the command line and hands over to the library.

fn main() -> std::process::ExitCode {
    ku8portal::cli::main()
}
