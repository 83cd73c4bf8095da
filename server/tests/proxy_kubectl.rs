//! Real kubectl through the portal's Kubernetes proxy, with kubeconfigs the portal hands out:
//! what a tenant member can do in its own namespaces, what it cannot do elsewhere (kubectl's
//! usual Forbidden), what a viewer and an operator see, and `auth can-i` agreeing with it all.

mod common;

use common::kubectl::Kubectl;
use common::portal::TestPortal;
use common::tenancy::{GLOBEX_NS, two_tenants};

const DEPLOYMENT: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
"#;

fn running(out: &str, n: usize) -> bool {
    out.lines().filter(|l| l.contains("Running")).count() == n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn member_works_in_own_namespaces_only() {
    let tp = TestPortal::start().await;
    let _admin = two_tenants(&tp).await;
    let bob = Kubectl::of(&mut tp.login("bob").await).await;
    let heidi = Kubectl::of(&mut tp.login("heidi").await).await;

    // Namespaces: only the tenant's own, in kubectl's table.
    let ns = bob.ok(&["get", "ns", "-o", "name"]);
    assert_eq!(ns.trim(), "namespace/acme-dev\nnamespace/acme-prod");
    assert_eq!(
        heidi.ok(&["get", "ns", "-o", "name"]).trim(),
        "namespace/globex-prod"
    );

    // Deploy, watch it run, scale, restart, read logs, delete — in acme-dev.
    let r = bob.run_with(&["apply", "-n", "acme-dev", "-f", "-"], DEPLOYMENT);
    assert!(r.ok, "{}{}", r.stderr, r.stdout);
    assert!(
        r.stdout.contains("deployment.apps/web created"),
        "{}",
        r.stdout
    );
    heidi.ok(&[
        "create",
        "deployment",
        "web",
        "--image=nginx",
        "-n",
        GLOBEX_NS,
    ]);
    bob.until(&["get", "pods", "-n", "acme-dev"], |o| running(o, 1));
    bob.ok(&["scale", "deployment/web", "--replicas=3", "-n", "acme-dev"]);
    bob.until(&["get", "pods", "-n", "acme-dev"], |o| running(o, 3));
    let all = bob.ok(&["get", "all", "-n", "acme-dev"]);
    assert!(
        all.contains("deployment.apps/web") && all.contains("replicaset.apps/web-"),
        "{all}"
    );
    // Every pod across namespaces is the tenant's own: heidi's pod is not listed.
    heidi.until(&["get", "pods", "-n", GLOBEX_NS], |o| running(o, 1));
    let everywhere = bob.ok(&["get", "pods", "-A"]);
    assert_eq!(
        everywhere
            .lines()
            .filter(|l| l.starts_with("acme-dev "))
            .count(),
        3,
        "{everywhere}"
    );
    assert!(!everywhere.contains(GLOBEX_NS), "{everywhere}");
    // The same list in pages of one (kubectl's --chunk-size follows the portal's continue tokens).
    let paged = bob.ok(&["get", "pods", "-A", "--chunk-size=1", "-o", "name"]);
    assert_eq!(paged.lines().count(), 3, "{paged}");
    let restarted = bob.ok(&["rollout", "restart", "deployment/web", "-n", "acme-dev"]);
    assert!(restarted.contains("restarted"), "{restarted}");
    bob.ok(&[
        "rollout",
        "status",
        "deployment/web",
        "-n",
        "acme-dev",
        "--timeout=60s",
    ]);
    let logs = bob.ok(&["logs", "deployment/web", "-n", "acme-dev", "--tail=2"]);
    assert!(!logs.trim().is_empty(), "no log lines");
    // A followed log streams until kubectl is stopped (here: by --request-timeout).
    let followed = bob.run(&[
        "logs",
        "-f",
        "deployment/web",
        "-n",
        "acme-dev",
        "--request-timeout=3s",
    ]);
    assert!(!followed.stdout.trim().is_empty(), "{}", followed.stderr);

    // Another tenant's namespace: kubectl's usual Forbidden, for reads and writes.
    let err = bob.fails(&["get", "pods", "-n", GLOBEX_NS]);
    assert!(
        err.contains("Error from server (Forbidden)")
            && err.contains("User \"bob\" cannot list resource \"pods\"")
            && err.contains("not one of your namespaces"),
        "{err}"
    );
    let err = bob.fails(&["delete", "deployment", "web", "-n", GLOBEX_NS]);
    assert!(err.contains("(Forbidden)"), "{err}");
    let err = bob.fails(&["scale", "deployment/web", "--replicas=5", "-n", GLOBEX_NS]);
    assert!(err.contains("(Forbidden)"), "{err}");
    // Nodes are for platform admins (documented): a clear Forbidden.
    let err = bob.fails(&["get", "nodes"]);
    assert!(
        err.contains("(Forbidden)") && err.contains("only platform admins"),
        "{err}"
    );
    // Namespaces are made through the portal, which keeps the budget.
    let err = bob.fails(&["create", "namespace", "sneaky"]);
    assert!(
        err.contains("(Forbidden)") && err.contains("through the portal"),
        "{err}"
    );
    // The quota is the portal's.
    let err = bob.fails(&["delete", "resourcequota", "--all", "-n", "acme-dev"]);
    assert!(err.contains("managed by the portal"), "{err}");

    // `auth can-i` says the same.
    // "yes", or "no - <the portal's reason>".
    let can = |k: &Kubectl, args: &[&str]| {
        let out = k.run(&[&["auth", "can-i"], args].concat()).stdout;
        out.split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        can(&bob, &["create", "deployments", "-n", "acme-dev"]).as_str(),
        "yes"
    );
    assert_eq!(
        can(&bob, &["create", "deployments", "-n", GLOBEX_NS]).as_str(),
        "no"
    );
    assert_eq!(can(&bob, &["list", "nodes"]).as_str(), "no");
    assert_eq!(
        can(&bob, &["update", "resourcequotas", "-n", "acme-dev"]).as_str(),
        "no"
    );
    assert_eq!(
        can(&bob, &["create", "rolebindings", "-n", "acme-dev"]).as_str(),
        "no"
    );
    let who = bob.ok(&[
        "auth",
        "whoami",
        "-o",
        "jsonpath={.status.userInfo.username}",
    ]);
    assert_eq!(who, "bob");

    // Clean up through the proxy.
    let deleted = bob.ok(&["delete", "deployment", "web", "-n", "acme-dev"]);
    assert!(deleted.contains("deleted"), "{deleted}");
    bob.until(&["get", "pods", "-n", "acme-dev", "-o", "name"], |o| {
        o.trim().is_empty()
    });
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn viewer_reads_and_operator_sees_everything() {
    let tp = TestPortal::start().await;
    let mut admin = two_tenants(&tp).await;
    let carol = Kubectl::of(&mut tp.login("carol").await).await;
    let op = Kubectl::of(&mut admin).await;

    assert!(carol.ok(&["get", "pods", "-n", "acme-dev"]).is_empty());
    let err = carol.fails(&[
        "create",
        "configmap",
        "x",
        "-n",
        "acme-dev",
        "--from-literal=a=b",
    ]);
    assert!(
        err.contains("forbidden") && err.contains("needs the tenant-member role"),
        "{err}"
    );
    assert_eq!(
        carol
            .run(&["auth", "can-i", "get", "pods", "-n", "acme-dev"])
            .stdout
            .split_whitespace()
            .next(),
        Some("yes")
    );
    assert_eq!(
        carol
            .run(&["auth", "can-i", "delete", "pods", "-n", "acme-dev"])
            .stdout
            .split_whitespace()
            .next(),
        Some("no")
    );

    // The operator's kubeconfig has a cluster-wide context first.
    let nodes = op.ok(&["get", "nodes", "-o", "name"]);
    assert!(nodes.lines().count() >= 1, "{nodes}");
    let ns = op.ok(&["get", "ns", "-o", "name"]);
    for n in ["acme-dev", "acme-prod", GLOBEX_NS, "kube-system"] {
        assert!(ns.contains(&format!("namespace/{n}")), "{ns}");
    }
    assert_eq!(
        op.run(&["auth", "can-i", "*", "*"])
            .stdout
            .split_whitespace()
            .next(),
        Some("yes")
    );
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tenant_admin_grants_access_inside_the_portal_limits() {
    let tp = TestPortal::start().await;
    let _admin = two_tenants(&tp).await;
    let alice = Kubectl::of(&mut tp.login("alice").await).await;
    let bob = Kubectl::of(&mut tp.login("bob").await).await;
    let ns = ["-n", "acme-dev"];

    let made = alice.ok(&[
        &[
            "create",
            "role",
            "pod-reader",
            "--verb=get,list",
            "--resource=pods",
        ][..],
        &ns[..],
    ]
    .concat());
    assert!(
        made.contains("role.rbac.authorization.k8s.io/pod-reader created"),
        "{made}"
    );
    for (name, what) in [
        ("read-pods", "--role=pod-reader"),
        ("viewers", "--clusterrole=view"),
    ] {
        let out = alice.ok(&[
            &[
                "create",
                "rolebinding",
                name,
                what,
                "--serviceaccount=acme-dev:default",
            ][..],
            &ns[..],
        ]
        .concat());
        assert!(out.contains("created"), "{out}");
    }
    // What would reach past the tenant: the apiserver would allow it (the portal's credentials
    // are cluster-admin), so the portal refuses it with kubectl's Forbidden.
    let err = alice.fails(
        &[
            &[
                "create",
                "rolebinding",
                "root",
                "--clusterrole=cluster-admin",
                "--serviceaccount=acme-dev:default",
            ][..],
            &ns[..],
        ]
        .concat(),
    );
    assert!(
        err.contains("Forbidden") || err.contains("forbidden"),
        "{err}"
    );
    assert!(
        err.contains("roleRef names the ClusterRole \"cluster-admin\""),
        "{err}"
    );
    let err = alice.fails(
        &[
            &[
                "create",
                "role",
                "quota-editor",
                "--verb=update",
                "--resource=resourcequotas",
            ][..],
            &ns[..],
        ]
        .concat(),
    );
    assert!(err.contains("which the portal owns"), "{err}");
    let err = alice.fails(
        &[
            &["create", "role", "all", "--verb=*", "--resource=pods"][..],
            &ns[..],
        ]
        .concat(),
    );
    assert!(err.contains("grants the verb \"*\""), "{err}");
    let names = alice.ok(&[&["get", "roles,rolebindings", "-o", "name"][..], &ns[..]].concat());
    assert!(
        !names.contains("root") && !names.contains("quota-editor"),
        "{names}"
    );
    // Another tenant's namespace and a member stay refused.
    let err = alice.fails(&[
        "create",
        "rolebinding",
        "x",
        "--clusterrole=view",
        "--user=alice",
        "-n",
        GLOBEX_NS,
    ]);
    assert!(err.contains("forbidden"), "{err}");
    let err = bob.fails(
        &[
            &[
                "create",
                "rolebinding",
                "y",
                "--clusterrole=view",
                "--user=bob",
            ][..],
            &ns[..],
        ]
        .concat(),
    );
    assert!(err.contains("needs the tenant-admin role"), "{err}");
    tp.shutdown().await;
}

const CRDS: &str = r#"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: regions.example.com}
spec:
  group: example.com
  scope: Cluster
  names: {plural: regions, singular: region, kind: Region}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
"#;

fn widget(name: &str) -> String {
    format!(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: {name}\nspec:\n  size: 3\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn custom_resources_follow_tenant_isolation() {
    let tp = TestPortal::start().await;
    let mut admin = two_tenants(&tp).await;
    let op = Kubectl::of(&mut admin).await;
    let bob = Kubectl::of(&mut tp.login("bob").await).await;
    let carol = Kubectl::of(&mut tp.login("carol").await).await;
    let heidi = Kubectl::of(&mut tp.login("heidi").await).await;

    // The operator installs the CRDs (cluster-scoped objects: platform admins only).
    let r = op.run_with(&["apply", "-f", "-"], CRDS);
    assert!(r.ok, "{}{}", r.stderr, r.stdout);
    op.ok(&[
        "wait",
        "--for",
        "condition=established",
        "--timeout=20s",
        "crd/widgets.example.com",
        "crd/regions.example.com",
    ]);
    let err = bob.fails(&["delete", "crd", "widgets.example.com"]);
    assert!(err.contains("(Forbidden)"), "{err}");

    // Tenants create custom resources in their own namespaces.
    let r = bob.run_with(&["apply", "-n", "acme-dev", "-f", "-"], &widget("gear"));
    assert!(
        r.ok && r.stdout.contains("widget.example.com/gear created"),
        "{}{}",
        r.stderr,
        r.stdout
    );
    let r = heidi.run_with(&["apply", "-n", GLOBEX_NS, "-f", "-"], &widget("cog"));
    assert!(r.ok, "{}{}", r.stderr, r.stdout);
    // ... and nowhere else.
    let r = bob.run_with(&["apply", "-n", GLOBEX_NS, "-f", "-"], &widget("intruder"));
    assert!(
        !r.ok && r.stderr.contains("not one of your namespaces"),
        "{}",
        r.stderr
    );
    let err = carol.fails(&["delete", "widget", "gear", "-n", "acme-dev"]);
    assert!(err.contains("needs the tenant-member role"), "{err}");

    // `-A` lists only the caller's own; another tenant's namespace is Forbidden.
    let all = bob.ok(&["get", "widgets", "-A", "-o", "name"]);
    assert_eq!(all.trim(), "widget.example.com/gear");
    let all = heidi.ok(&["get", "widgets", "-A"]);
    assert!(all.contains("cog") && !all.contains("gear"), "{all}");
    let err = bob.fails(&["get", "widgets", "-n", GLOBEX_NS]);
    assert!(err.contains("not one of your namespaces"), "{err}");
    assert_eq!(
        carol.ok(&[
            "get",
            "widget",
            "gear",
            "-n",
            "acme-dev",
            "-o",
            "jsonpath={.spec.size}"
        ]),
        "3"
    );

    // Cluster-scoped custom resources are the operator's, like other cluster-scoped kinds.
    op.run_with(
        &["apply", "-f", "-"],
        "apiVersion: example.com/v1\nkind: Region\nmetadata: {name: eu}\n",
    );
    assert!(
        op.ok(&["get", "regions", "-o", "name"])
            .contains("region.example.com/eu")
    );
    let err = bob.fails(&["get", "regions"]);
    assert!(err.contains("cluster-wide; only platform admins"), "{err}");
    let all = op.ok(&["get", "widgets", "-A", "-o", "name"]);
    assert_eq!(all.lines().count(), 2, "{all}");
    tp.shutdown().await;
}
