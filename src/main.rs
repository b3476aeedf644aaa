fn main() -> std::process::ExitCode {
    mlsec::main()
}
