//! `ku8portal admin ...`: operator tasks without the UI — create a user, reset a password, list
//! tenants — straight against the database.

use std::path::PathBuf;

use anyhow::Context;
use api_types::portal::CreateUser;

use crate::runtime::Database;
use crate::state::{AppState, Settings};

/// Options of `ku8portal admin`.
#[derive(Debug, clap::Args)]
pub struct AdminArgs {
    /// PostgreSQL URL (else the embedded database in --data-dir).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,
    #[arg(
        long,
        env = "KU8PORTAL_DATA_DIR",
        default_value = ".ku8portal-data",
        global = true
    )]
    pub data_dir: PathBuf,
    #[command(subcommand)]
    pub command: AdminCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum AdminCommand {
    /// Create a user (the password is read from stdin, one line).
    CreateUser {
        username: String,
        #[arg(long)]
        platform_admin: bool,
        #[arg(long, default_value = "")]
        display_name: String,
    },
    /// Set a new password (read from stdin, one line); the user's sessions end.
    ResetPassword { username: String },
    /// List the tenants with their namespace counts.
    ListTenants,
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

pub async fn run(args: AdminArgs) -> anyhow::Result<()> {
    let db = match &args.database_url {
        Some(u) => Database::Url(u.clone()),
        None => Database::Embedded(args.data_dir.join("postgres")),
    };
    let (pool, embedded) = crate::runtime::database(&db).await?;
    // The admin commands never talk to the cluster; a client for an unused address suffices.
    let kube = crate::kube_client::offline_client()?;
    let state = AppState::new(pool, kube, Settings::default());
    let result = match args.command {
        AdminCommand::CreateUser {
            username,
            platform_admin,
            display_name,
        } => {
            let password = read_password()?;
            let req = CreateUser {
                username,
                display_name,
                password,
                platform_admin,
            };
            let u = crate::users::insert_user(&state, &req, None)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "created user {}{}",
                u.username,
                if u.platform_admin {
                    " (platform admin)"
                } else {
                    ""
                }
            );
            Ok(())
        }
        AdminCommand::ResetPassword { username } => {
            let password = read_password()?;
            crate::users::reset_password(&state, &username, &password)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("password of {username} changed; their sessions have ended");
            Ok(())
        }
        AdminCommand::ListTenants => {
            let rows = sqlx::query!(
                r#"SELECT t.name, t.disabled, count(n.id) FILTER (WHERE n.sync_state <> 'removed') AS "namespaces!"
                   FROM tenants t LEFT JOIN namespaces n ON n.tenant_id = t.id GROUP BY t.id ORDER BY t.name"#
            )
            .fetch_all(&state.db)
            .await?;
            println!("{:<30} {:>10}  STATE", "TENANT", "NAMESPACES");
            for r in rows {
                println!(
                    "{:<30} {:>10}  {}",
                    r.name,
                    r.namespaces,
                    if r.disabled { "disabled" } else { "active" }
                );
            }
            Ok(())
        }
    };
    state.db.close().await;
    if let Some(pg) = embedded {
        pg.stop().await?;
    }
    result
}
