//! Unit tests of the admission plugins: evaluators (usage, matching, scopes, constraints) and
//! LimitRanger (defaults, annotation, constraint messages).

use chrono::Utc;
use serde_json::json;

use super::evaluators::{Evaluator, Op};
use super::limitrange::{
    ANNOTATION, Bound, aggregate, bound_constraint, merge_pod, ratio_constraint, validate_pvc,
};
use super::resource_list::{self as rl, ResourceList};
use crate::cluster::Sim;
use crate::resources::Quantity;
use crate::store::Key;

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn pod_usage_and_constraints() {
    let pod = json!({"spec": {"containers": [{"name": "app", "resources": {"requests": {"cpu": "100m", "memory": "64Mi", "nvidia.com/gpu": "1"}, "limits": {"cpu": "200m", "memory": "128Mi", "nvidia.com/gpu": "1"}}}]}});
    let u = Evaluator::Pods.usage(&pod, Utc::now());
    assert_eq!(
        rl::pretty(&u),
        "count/pods=1,cpu=100m,limits.cpu=200m,limits.memory=128Mi,memory=64Mi,pods=1,requests.cpu=100m,requests.memory=64Mi,requests.nvidia.com/gpu=1"
    );
    let hard = names(&[
        "pods",
        "requests.cpu",
        "limits.memory",
        "requests.nvidia.com/gpu",
        "count/configmaps",
    ]);
    assert_eq!(
        Evaluator::Pods.matching_resources(&hard),
        names(&[
            "pods",
            "requests.cpu",
            "limits.memory",
            "requests.nvidia.com/gpu"
        ])
    );
    let bare = json!({"spec": {"containers": [{"name": "b"}, {"name": "a", "resources": {"requests": {"cpu": "1"}}}]}});
    assert_eq!(
        Evaluator::Pods.constraints(&names(&["requests.cpu", "limits.cpu", "pods"]), &bare),
        Err("must specify limits.cpu for: a,b; requests.cpu for: b".to_string())
    );
    let done = json!({"spec": {"containers": [{"name": "a"}]}, "status": {"phase": "Succeeded"}});
    assert_eq!(
        rl::pretty(&Evaluator::Pods.usage(&done, Utc::now())),
        "count/pods=1"
    );
}

#[test]
fn scopes() {
    let q = json!({"spec": {"scopes": ["BestEffort"], "scopeSelector": {"matchExpressions": [{"scopeName": "PriorityClass", "operator": "NotIn", "values": ["high"]}]}}, "status": {"hard": {"pods": "1"}}});
    let be = json!({"spec": {"containers": [{"name": "a"}]}});
    let burstable =
        json!({"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "1"}}}]}});
    let high = json!({"spec": {"priorityClassName": "high", "containers": [{"name": "a"}]}});
    assert!(Evaluator::Pods.matches(&q, &be));
    assert!(!Evaluator::Pods.matches(&q, &burstable));
    assert!(!Evaluator::Pods.matches(&q, &high));
    let cm = Evaluator::for_resource("", "configmaps").unwrap();
    assert!(!cm.matches(
        &json!({"spec": {"scopes": ["Terminating"]}, "status": {"hard": {"configmaps": "1"}}}),
        &json!({})
    ));
    assert!(cm.matches(
        &json!({"status": {"hard": {"configmaps": "1"}}}),
        &json!({})
    ));
    assert_eq!(Evaluator::for_resource("", "events"), None);
}

#[test]
fn services_pvcs_and_counts() {
    let svc = json!({"spec": {"type": "LoadBalancer", "ports": [{"port": 80}, {"port": 443}]}});
    assert_eq!(
        rl::pretty(&Evaluator::Services.usage(&svc, Utc::now())),
        "count/services=1,services=1,services.loadbalancers=1,services.nodeports=2"
    );
    let pvc = json!({"spec": {"storageClassName": "fast", "resources": {"requests": {"storage": "1.5"}}}});
    assert_eq!(
        rl::pretty(&Evaluator::PersistentVolumeClaims.usage(&pvc, Utc::now())),
        "count/persistentvolumeclaims=1,fast.storageclass.storage.k8s.io/persistentvolumeclaims=1,fast.storageclass.storage.k8s.io/requests.storage=2,persistentvolumeclaims=1,requests.storage=2"
    );
    let deploy = Evaluator::for_resource("apps", "deployments").unwrap();
    assert_eq!(deploy.storage_resource(), "apps/deployments");
    assert_eq!(
        rl::pretty(&deploy.usage(&json!({}), Utc::now())),
        "count/deployments.apps=1"
    );
    assert!(!deploy.handles(Op::Update, "", &json!({}), None));
}

fn l(pairs: &[(&str, &str)]) -> ResourceList {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Quantity::parse(v).unwrap()))
        .collect()
}

#[test]
fn defaults_and_annotation() {
    let mut pod = json!({"metadata": {"name": "p"}, "spec": {
        "containers": [{"name": "app"}, {"name": "half", "resources": {"requests": {"cpu": "200m"}}}],
        "initContainers": [{"name": "init", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}}}]
    }});
    merge_pod(
        &mut pod,
        &l(&[("cpu", "100m"), ("memory", "128Mi")]),
        &l(&[("cpu", "500m"), ("memory", "256Mi")]),
    );
    assert_eq!(
        pod["metadata"]["annotations"][ANNOTATION],
        "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app; memory request for container half; cpu, memory limit for container half"
    );
    assert_eq!(
        pod["spec"]["containers"][1]["resources"],
        json!({"requests": {"cpu": "200m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}})
    );
    assert!(
        pod["spec"]["initContainers"][0]["resources"]["limits"]
            == json!({"cpu": "1", "memory": "1Gi"})
    );
}

#[test]
fn constraint_messages() {
    let (req, lim) = (l(&[("cpu", "500m")]), l(&[("cpu", "2")]));
    let one = Quantity::parse("1").unwrap();
    assert_eq!(
        bound_constraint(Bound::Max, "Container", "cpu", &one, &req, Some(&lim)).unwrap(),
        "maximum cpu usage per Container is 1, but limit is 2"
    );
    let min = Quantity::parse("50m").unwrap();
    assert_eq!(
        bound_constraint(
            Bound::Min,
            "Container",
            "cpu",
            &min,
            &l(&[("cpu", "10m")]),
            Some(&lim)
        )
        .unwrap(),
        "minimum cpu usage per Container is 50m, but request is 10m"
    );
    assert_eq!(
        bound_constraint(Bound::Min, "Container", "memory", &min, &req, Some(&lim)).unwrap(),
        "minimum memory usage per Container is 50m.  No request is specified"
    );
    let ratio = Quantity::parse("2").unwrap();
    assert_eq!(
        ratio_constraint(
            "Container",
            "cpu",
            &ratio,
            &l(&[("cpu", "300m")]),
            &l(&[("cpu", "1")])
        )
        .unwrap(),
        "cpu max limit to request ratio per Container is 2, but provided ratio is 3.333333"
    );
    assert_eq!(
        ratio_constraint(
            "Container",
            "cpu",
            &ratio,
            &l(&[("cpu", "500m")]),
            &l(&[("cpu", "1")])
        ),
        None
    );
    assert_eq!(
        aggregate(vec!["a".into(), "b".into(), "a".into()]),
        "[a, b]"
    );
    let pvc = json!({"spec": {"resources": {"requests": {"storage": "10Gi"}}}});
    let lr = json!({"spec": {"limits": [{"type": "PersistentVolumeClaim", "max": {"storage": "5Gi"}, "min": {"storage": "1Gi"}}]}});
    assert_eq!(
        validate_pvc(&lr, &pvc),
        vec![
            "maximum storage usage per PersistentVolumeClaim is 5Gi, but request is 10Gi"
                .to_string()
        ]
    );
}

/// A cluster state without server, for unit tests.
pub(crate) fn test_sim() -> Sim {
    Sim {
        store: crate::store::Store::new(),
        registry: crate::discovery::Registry::new(false).into(),
        admin_token: String::new(),
        ca_pem: String::new(),
        started: Utc::now(),
        server_address: String::new(),
        config: crate::cluster::SimConfig::default(),
        admission_lock: std::sync::Mutex::new(()),
    }
}

#[test]
fn controllers_create_through_limitranger_and_quota() {
    let sim = test_sim();
    let lr = json!({"metadata": {"name": "lr", "namespace": "c"}, "spec": {"limits": [
        {"type": "Container", "default": {"cpu": "1"}, "defaultRequest": {"cpu": "300m"}, "max": {"cpu": "1"}}
    ]}});
    sim.store
        .create(Key::new("limitranges", "c", "lr"), lr)
        .unwrap();
    let quota = json!({"metadata": {"name": "q", "namespace": "c"}, "spec": {"hard": {"requests.cpu": "500m"}},
        "status": {"hard": {"requests.cpu": "500m"}, "used": {"requests.cpu": "0"}}});
    sim.store
        .create(Key::new("resourcequotas", "c", "q"), quota)
        .unwrap();
    let pod = |name: &str| json!({"metadata": {"name": name, "namespace": "c"}, "spec": {"containers": [{"name": "app"}]}});

    let mut first = pod("web-1");
    super::default_pod_resources(&sim, "c", &mut first);
    assert_eq!(
        first["spec"]["containers"][0]["resources"],
        json!({"limits": {"cpu": "1"}, "requests": {"cpu": "300m"}})
    );
    super::create_checked(&sim, "", "pods", first).expect("fits");
    let q = sim
        .store
        .get(&Key::new("resourcequotas", "c", "q"))
        .unwrap();
    assert_eq!(q["status"]["used"], json!({"requests.cpu": "300m"}));

    let mut second = pod("web-2");
    super::default_pod_resources(&sim, "c", &mut second);
    let err = super::create_checked(&sim, "", "pods", second).expect_err("over quota");
    assert_eq!(err.code, 403);
    assert_eq!(
        err.message,
        "pods \"web-2\" is forbidden: exceeded quota: q, requested: requests.cpu=300m, used: requests.cpu=300m, limited: requests.cpu=500m"
    );
    let mut big = pod("big");
    big["spec"]["containers"][0]["resources"] =
        json!({"limits": {"cpu": "2"}, "requests": {"cpu": "100m"}});
    let err = super::create_checked(&sim, "", "pods", big).expect_err("over max");
    assert_eq!(
        err.message,
        "pods \"big\" is forbidden: maximum cpu usage per Container is 1, but limit is 2"
    );
    assert!(sim.store.get(&Key::new("pods", "c", "web-2")).is_none());
}
