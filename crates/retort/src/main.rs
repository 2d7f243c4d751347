//! The `retort` binary: command line, wiring and output rendering.
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "retort", version, about = "Distil a Flask codebase into facts")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load-test an HTTP service and hold it to SLOs.
    Load(retort_load::cli::LoadArgs),
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Load(args) => match retort_load::cli::run(args, &|_| Ok(Vec::new())) {
            Ok(code) => code,
            Err(err) => {
                eprintln!("error: {err:#}");
                2
            }
        },
    };
    std::process::exit(code);
}
