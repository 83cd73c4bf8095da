//! Whom PostgreSQL runs as (the current user, or the `postgres` system user when we are root,
//! since PostgreSQL refuses to run as root), the `setpriv` command line that gets it there and
//! ties its life to ours, and directories prepared for that user.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{EmbeddedError, bindir::is_executable, io_err};

/// The system account PostgreSQL runs as when we are root.
const SERVICE_USER: &str = "postgres";

#[derive(Debug, Clone)]
pub(super) struct RunAs {
    /// `Some` when we are root and switch to the `postgres` user.
    user: Option<Account>,
    /// `setpriv` (util-linux): sets the parent-death signal and, as root, drops to `user`.
    setpriv: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq)]
struct Account {
    uid: u32,
    gid: u32,
    /// Supplementary groups, from /etc/group.
    groups: Vec<u32>,
}

impl RunAs {
    pub(super) fn detect() -> Result<RunAs, EmbeddedError> {
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| is_executable(p));
        if !rustix::process::getuid().is_root() {
            return Ok(RunAs {
                user: None,
                setpriv,
            });
        }
        let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
        let group = std::fs::read_to_string("/etc/group").unwrap_or_default();
        let user = lookup(&passwd, &group, SERVICE_USER).ok_or(EmbeddedError::NoPostgresUser)?;
        if setpriv.is_none() {
            return Err(EmbeddedError::NoSetpriv);
        }
        Ok(RunAs {
            user: Some(user),
            setpriv,
        })
    }

    /// A command running `program` as the server's user, killed with SIGQUIT (PostgreSQL's
    /// immediate shutdown) when the thread that spawns it exits, in a process group of its own
    /// (so a Ctrl-C in the terminal reaches only us, and we shut the server down after our own
    /// graceful shutdown).
    pub(super) fn command(&self, program: &Path) -> Command {
        use std::os::unix::process::CommandExt;
        let Some(setpriv) = &self.setpriv else {
            let mut cmd = Command::new(program);
            cmd.process_group(0);
            return cmd;
        };
        let mut cmd = Command::new(setpriv);
        cmd.process_group(0);
        if let Some(user) = &self.user {
            cmd.arg(format!("--reuid={}", user.uid))
                .arg(format!("--regid={}", user.gid))
                .arg("--init-groups");
        }
        cmd.args(["--pdeathsig", "SIGQUIT", "--"]).arg(program);
        cmd
    }

    /// Creates `dir` (if missing) with `mode`, owned by the server's user.
    pub(super) fn private_dir(&self, dir: &Path, mode: u32) -> Result<(), EmbeddedError> {
        std::fs::create_dir_all(dir).map_err(io_err(format!("create {}", dir.display())))?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode))
            .map_err(io_err(format!("chmod {}", dir.display())))?;
        if let Some(user) = &self.user {
            std::os::unix::fs::chown(dir, Some(user.uid), Some(user.gid))
                .map_err(io_err(format!("chown {} to {SERVICE_USER}", dir.display())))?;
        }
        Ok(())
    }

    /// Fails with an actionable error when the server's user cannot reach `dir` (we are root and
    /// `dir` or one of its parents is closed to the `postgres` user, e.g. under /root).
    pub(super) fn check_reachable(&self, dir: &Path) -> Result<(), EmbeddedError> {
        let Some(user) = &self.user else {
            return Ok(());
        };
        for ancestor in dir.ancestors() {
            let meta = std::fs::metadata(ancestor)
                .map_err(io_err(format!("inspect {}", ancestor.display())))?;
            if !user.can_search(&meta) {
                return Err(EmbeddedError::Unreachable {
                    path: dir.to_path_buf(),
                    dir: ancestor.to_path_buf(),
                });
            }
        }
        Ok(())
    }
}

impl Account {
    fn can_search(&self, meta: &std::fs::Metadata) -> bool {
        let mode = meta.mode();
        if meta.uid() == self.uid {
            mode & 0o100 != 0
        } else if meta.gid() == self.gid || self.groups.contains(&meta.gid()) {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        }
    }
}

/// `name`'s uid, gid and supplementary groups from the texts of /etc/passwd and /etc/group.
fn lookup(passwd: &str, group: &str, name: &str) -> Option<Account> {
    let fields: Vec<&str> = passwd
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.len() >= 4 && f[0] == name)?;
    let groups = group
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            let member = f.len() >= 4 && f[3].split(',').any(|m| m == name);
            member.then(|| f[2].parse().ok()).flatten()
        })
        .collect();
    Some(Account {
        uid: fields[2].parse().ok()?,
        gid: fields[3].parse().ok()?,
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_the_service_user_and_its_groups() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\npostgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash\n";
        let group =
            "root:x:0:\nssl-cert:x:103:postgres\npostgres:x:104:\nother:x:7:alice,postgres2\n";
        let user = lookup(passwd, group, "postgres").unwrap();
        assert_eq!(
            user,
            Account {
                uid: 101,
                gid: 104,
                groups: vec![103]
            }
        );
        assert!(lookup(passwd, group, "nobody").is_none());
    }

    #[test]
    fn as_root_the_command_drops_to_the_service_user_with_a_death_signal() {
        let run = RunAs {
            user: Some(Account {
                uid: 101,
                gid: 104,
                groups: vec![],
            }),
            setpriv: Some("/usr/bin/setpriv".into()),
        };
        let cmd = run.command(Path::new("/pg/bin/postgres"));
        let args: Vec<_> = cmd.get_args().map(|a| a.to_str().unwrap()).collect();
        assert_eq!(cmd.get_program(), "/usr/bin/setpriv");
        assert_eq!(
            args,
            [
                "--reuid=101",
                "--regid=104",
                "--init-groups",
                "--pdeathsig",
                "SIGQUIT",
                "--",
                "/pg/bin/postgres"
            ]
        );
    }
}
