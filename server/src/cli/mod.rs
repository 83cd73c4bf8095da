//! Command line of `ku8portal`: `serve`, `demo` and `simcluster`, configured by flags with
//! environment-variable fallbacks.

mod admin;
mod demo;
mod serve;
mod simcluster;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// ku8portal — a multi-tenant portal for a shared Kubernetes cluster.
#[derive(Debug, Parser)]
#[command(name = "ku8portal", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the portal against a real cluster (production).
    Serve(Box<ServeArgs>),
    /// Run everything on one machine: embedded PostgreSQL, the built-in simulated cluster and
    /// demo tenants, users and workloads.
    Demo(DemoArgs),
    /// Operator tasks without the UI: create a user, reset a password, list tenants.
    Admin(admin::AdminArgs),
    /// Run only the simulated Kubernetes cluster and write a kubeconfig for it.
    Simcluster(simcluster::SimclusterArgs),
}

pub use demo::DemoArgs;
pub use serve::ServeArgs;

/// Parse the command line, run, and turn errors into a message and exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(async move {
        match cli.command {
            Command::Serve(a) => serve::run(*a).await,
            Command::Demo(a) => demo::run(a).await,
            Command::Admin(a) => admin::run(a).await,
            Command::Simcluster(a) => simcluster::run(a).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KU8PORTAL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx::postgres::notice=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Wait for Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
