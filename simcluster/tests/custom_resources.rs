//! Custom resources: a CustomResourceDefinition becomes established, its group appears in
//! discovery (legacy and aggregated), its objects can be created, listed with selectors,
//! patched (merge and JSON patch; strategic merge is refused), watched, printed as a Table,
//! and go away with their CRD. Real kubectl does the same round trip.

mod common;

use std::path::Path;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use kube::api::{
    Api, DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use kube::core::{ApiResource, DynamicObject, GroupVersionKind};
use serde_json::{Value, json};

use common::{kubectl, kubectl_ok as ok, kubectl_until};

const CRD_YAML: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames: ["ct"]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
    selectableFields:
    - jsonPath: .spec.cronSpec
    additionalPrinterColumns:
    - name: Spec
      type: string
      jsonPath: .spec.cronSpec
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              cronSpec: {type: string}
              image: {type: string}
              replicas: {type: integer}
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
"#;

fn crd_json(scope: &str, plural: &str, kind: &str) -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("{plural}.example.org")},
        "spec": {
            "group": "example.org",
            "scope": scope,
            "names": {"plural": plural, "kind": kind},
            "versions": [{"name": "v1alpha1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object",
                    "x-kubernetes-preserve-unknown-fields": true}}}]
        }
    })
}

async fn raw(
    client: &kube::Client,
    method: &str,
    path: &str,
    ct: &str,
    body: Value,
) -> (u16, Value) {
    let req = http::Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", ct)
        .header("accept", "application/json")
        .body(serde_json::to_vec(&body).unwrap())
        .unwrap();
    let resp = client
        .send(req.map(kube::client::Body::from))
        .await
        .expect("send");
    let status = resp.status().as_u16();
    let bytes = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn get(client: &kube::Client, path: &str, accept: &str) -> Value {
    let req = http::Request::get(path)
        .header("accept", accept)
        .body(Vec::new())
        .unwrap();
    client.request::<Value>(req).await.expect(path)
}

/// Create a CRD and wait until its group/version is served.
async fn establish(client: &kube::Client, crd: Value, gv_path: &str) {
    let (code, body) = raw(
        client,
        "POST",
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        "application/json",
        crd,
    )
    .await;
    assert_eq!(code, 201, "{body}");
    for _ in 0..100 {
        let req = http::Request::get(gv_path).body(Vec::new()).unwrap();
        if client.request::<Value>(req).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{gv_path} never served");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_resources_are_served_like_a_real_apiserver() {
    let tc = common::TestCluster::start_like_golden().await;
    let client = tc.client().await;
    let crd: Value = serde_yaml::from_str(CRD_YAML).unwrap();
    establish(&client, crd, "/apis/stable.example.com/v1").await;

    // The CRD's status, as the naming and establishing controllers write it.
    let crd = get(
        &client,
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com",
        "application/json",
    )
    .await;
    let conds: Vec<(&str, &str)> = crd["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["type"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(conds, [("NamesAccepted", "True"), ("Established", "True")]);
    assert_eq!(crd["status"]["acceptedNames"]["listKind"], "CronTabList");
    assert_eq!(crd["status"]["storedVersions"], json!(["v1"]));

    // Discovery: the group in /apis, its resource list, the aggregated document.
    let groups = get(&client, "/apis", "application/json").await;
    let g = groups["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "stable.example.com")
        .expect("group listed");
    assert_eq!(
        g["preferredVersion"]["groupVersion"],
        "stable.example.com/v1"
    );
    let list = get(&client, "/apis/stable.example.com/v1", "application/json").await;
    let names: Vec<&str> = list["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["crontabs", "crontabs/status", "crontabs/scale"]);
    assert_eq!(list["resources"][0]["namespaced"], true);
    assert_eq!(list["resources"][0]["shortNames"], json!(["ct"]));
    let agg = get(
        &client,
        "/apis",
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    )
    .await;
    let item = agg["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["metadata"]["name"] == "stable.example.com")
        .expect("aggregated group");
    assert_eq!(item["versions"][0]["resources"][0]["scope"], "Namespaced");
    // The OpenAPI v3 document kubectl reads to learn that `fieldValidation` is supported and
    // that strategic merge patch is not.
    let index = get(&client, "/openapi/v3", "application/json").await;
    let url = index["paths"]["apis/stable.example.com/v1"]["serverRelativeURL"]
        .as_str()
        .expect("custom group version in the v3 index");
    let doc = get(&client, url, "application/json").await;
    let patch = &doc["paths"]["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"]
        ["patch"];
    assert!(patch["requestBody"]["content"]["application/merge-patch+json"].is_object());
    assert!(patch["requestBody"]["content"]["application/strategic-merge-patch+json"].is_null());
    assert!(doc["components"]["schemas"]["com.example.stable.v1.CronTab"].is_object());
    // kube-rs discovery finds it too.
    let discovery = kube::discovery::Discovery::new(client.clone())
        .run()
        .await
        .expect("discovery");
    assert!(discovery.has_group("stable.example.com"));

    // CRUD as unstructured objects.
    let ar = ApiResource::from_gvk_with_plural(
        &GroupVersionKind::gvk("stable.example.com", "v1", "CronTab"),
        "crontabs",
    );
    let cts: Api<DynamicObject> = Api::namespaced_with(client.clone(), "default", &ar);
    let mut watch = cts
        .watch(&WatchParams::default(), "0")
        .await
        .expect("watch")
        .boxed();
    let obj: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "stable.example.com/v1", "kind": "CronTab",
        "metadata": {"name": "nightly", "labels": {"tier": "batch"}},
        "spec": {"cronSpec": "0 3 * * *", "image": "backup:1", "replicas": 1, "unknown": "x"},
        "status": {"lastRun": "never"}
    }))
    .unwrap();
    let created = cts
        .create(&PostParams::default(), &obj)
        .await
        .expect("create");
    assert_eq!(created.metadata.generation, Some(1));
    assert_eq!(created.data["spec"].get("unknown"), None, "pruned");
    assert_eq!(
        created.data.get("status"),
        None,
        "status only through /status"
    );
    match watch.try_next().await.expect("watch event") {
        Some(WatchEvent::Added(o)) => assert_eq!(o.metadata.name.as_deref(), Some("nightly")),
        other => panic!("expected ADDED, got {other:?}"),
    }
    let other: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "stable.example.com/v1", "kind": "CronTab",
        "metadata": {"name": "hourly", "labels": {"tier": "web"}},
        "spec": {"cronSpec": "0 * * * *"}
    }))
    .unwrap();
    cts.create(&PostParams::default(), &other)
        .await
        .expect("create 2");
    let batch = cts
        .list(&ListParams::default().labels("tier=batch"))
        .await
        .expect("list");
    assert_eq!(batch.items.len(), 1);
    // Field selectors: metadata.name and the CRD's selectableFields, nothing else.
    let by_spec = cts
        .list(&ListParams::default().fields("spec.cronSpec=0 * * * *"))
        .await
        .expect("list by a selectable field");
    assert_eq!(by_spec.items.len(), 1);
    assert_eq!(by_spec.items[0].metadata.name.as_deref(), Some("hourly"));
    let by_name = cts
        .list(&ListParams::default().fields("metadata.name=nightly"))
        .await
        .expect("list by name");
    assert_eq!(by_name.items.len(), 1);
    let (code, body) = raw(
        &client,
        "GET",
        "/apis/stable.example.com/v1/namespaces/default/crontabs?fieldSelector=spec.image%3Dx",
        "application/json",
        Value::Null,
    )
    .await;
    assert_eq!(code, 400, "{body}");
    // Unstructured list items carry kind and apiVersion.
    let raw_list = get(
        &client,
        "/apis/stable.example.com/v1/crontabs",
        "application/json",
    )
    .await;
    assert_eq!(raw_list["kind"], "CronTabList");
    assert_eq!(raw_list["items"][0]["kind"], "CronTab");

    // Merge patch bumps the generation; JSON patch works; strategic merge is refused.
    let patched = cts
        .patch(
            "nightly",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"replicas": 3}})),
        )
        .await
        .expect("merge patch");
    assert_eq!(patched.metadata.generation, Some(2));
    assert_eq!(patched.data["spec"]["replicas"], 3);
    let patched = cts
        .patch(
            "nightly",
            &PatchParams::default(),
            &Patch::Json::<()>(
                serde_json::from_value(json!([
                    {"op": "replace", "path": "/spec/image", "value": "backup:2"}
                ]))
                .unwrap(),
            ),
        )
        .await
        .expect("json patch");
    assert_eq!(patched.data["spec"]["image"], "backup:2");
    assert_eq!(patched.metadata.generation, Some(3));
    let (code, body) = raw(
        &client,
        "PATCH",
        "/apis/stable.example.com/v1/namespaces/default/crontabs/nightly",
        "application/strategic-merge-patch+json",
        json!({"spec": {"replicas": 4}}),
    )
    .await;
    assert_eq!(code, 415, "{body}");
    assert_eq!(body["reason"], "UnsupportedMediaType");
    // The status subresource.
    let st = cts
        .patch_status(
            "nightly",
            &PatchParams::default(),
            &Patch::Merge(json!({"status": {"lastRun": "today"}})),
        )
        .await
        .expect("status patch");
    assert_eq!(st.data["status"]["lastRun"], "today");
    assert_eq!(
        st.metadata.generation,
        Some(3),
        "status writes keep the generation"
    );
    // Table output with the printer columns.
    let table = get(
        &client,
        "/apis/stable.example.com/v1/namespaces/default/crontabs",
        "application/json;as=Table;v=v1;g=meta.k8s.io",
    )
    .await;
    let cols: Vec<&str> = table["columnDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(cols, ["Name", "Spec", "Replicas", "Age"]);
    assert_eq!(table["rows"][1]["cells"][0], "nightly");
    assert_eq!(table["rows"][1]["cells"][2], 3);
    // Strict field validation reports unknown fields.
    let (code, body) = raw(
        &client,
        "POST",
        "/apis/stable.example.com/v1/namespaces/default/crontabs?fieldValidation=Strict",
        "application/json",
        json!({"apiVersion": "stable.example.com/v1", "kind": "CronTab",
               "metadata": {"name": "strict"}, "spec": {"colour": "red"}}),
    )
    .await;
    assert_eq!(code, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("unknown field \"spec.colour\""),
        "{body}"
    );

    cts.delete("hourly", &DeleteParams::default())
        .await
        .expect("delete");
    assert!(cts.get_opt("hourly").await.expect("get").is_none());

    // Deleting the CRD removes its objects and its discovery entries.
    let crds: Api<DynamicObject> = Api::all_with(
        client.clone(),
        &ApiResource::from_gvk_with_plural(
            &GroupVersionKind::gvk("apiextensions.k8s.io", "v1", "CustomResourceDefinition"),
            "customresourcedefinitions",
        ),
    );
    let deleted = crds
        .delete("crontabs.stable.example.com", &DeleteParams::default())
        .await
        .expect("delete crd");
    // Marked first, with the cleanup finalizer and the Terminating condition.
    let marked = deleted.left().expect("the CRD is marked, not gone at once");
    assert_eq!(
        marked.metadata.finalizers,
        Some(vec![
            "customresourcecleanup.apiextensions.k8s.io".to_string()
        ])
    );
    assert!(
        marked.data["status"]["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["type"] == "Terminating")
    );
    let mut crd_gone = false;
    for _ in 0..100 {
        if crds
            .get_opt("crontabs.stable.example.com")
            .await
            .expect("get crd")
            .is_none()
        {
            crd_gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(crd_gone, "the CRD stayed after its objects were removed");
    let mut gone = false;
    for _ in 0..100 {
        let req = http::Request::get("/apis/stable.example.com/v1")
            .body(Vec::new())
            .unwrap();
        if client.request::<Value>(req).await.is_err() {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(gone, "group still served after its CRD was deleted");
    // Recreated, it starts empty.
    let crd: Value = serde_yaml::from_str(CRD_YAML).unwrap();
    establish(&client, crd, "/apis/stable.example.com/v1").await;
    let cts: Api<DynamicObject> = Api::namespaced_with(client.clone(), "default", &ar);
    assert!(
        cts.list(&ListParams::default())
            .await
            .expect("list")
            .items
            .is_empty()
    );
    tc.cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_scoped_custom_resources_and_crd_validation() {
    let tc = common::TestCluster::start_like_golden().await;
    let client = tc.client().await;
    establish(
        &client,
        crd_json("Cluster", "regions", "Region"),
        "/apis/example.org/v1alpha1",
    )
    .await;
    let (code, body) = raw(
        &client,
        "POST",
        "/apis/example.org/v1alpha1/regions",
        "application/json",
        json!({"apiVersion": "example.org/v1alpha1", "kind": "Region",
               "metadata": {"name": "eu", "namespace": "ignored"}, "spec": {"any": {"thing": 1}}}),
    )
    .await;
    assert_eq!(code, 201, "{body}");
    assert_eq!(body["metadata"].get("namespace"), None);
    assert_eq!(body["spec"]["any"]["thing"], 1, "preserved unknown fields");
    // A cluster-scoped resource is not found under a namespace.
    let (code, _) = raw(
        &client,
        "GET",
        "/apis/example.org/v1alpha1/namespaces/default/regions",
        "application/json",
        Value::Null,
    )
    .await;
    assert_eq!(code, 404);
    // A second CRD of the same group adds a resource to the group version.
    establish(
        &client,
        crd_json("Namespaced", "zones", "Zone"),
        "/apis/example.org/v1alpha1",
    )
    .await;
    let mut names = Vec::new();
    for _ in 0..100 {
        let list = get(&client, "/apis/example.org/v1alpha1", "application/json").await;
        names = list["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_string())
            .collect();
        if names.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(names, ["regions", "zones"]);
    // Invalid CRDs are refused with the field that is wrong.
    let mut bad = crd_json("Everywhere", "things", "Thing");
    bad["metadata"]["name"] = json!("stuff.example.org");
    let (code, body) = raw(
        &client,
        "POST",
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        "application/json",
        bad,
    )
    .await;
    assert_eq!(code, 422, "{body}");
    let msg = body["message"].as_str().unwrap();
    assert!(msg.contains("metadata.name: Invalid value: \"stuff.example.org\": must be spec.names.plural+\".\"+spec.group"), "{msg}");
    assert!(
        msg.contains("spec.scope: Unsupported value: \"Everywhere\""),
        "{msg}"
    );
    tc.cluster.shutdown().await;
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write manifest");
    p.to_string_lossy().to_string()
}

const CR_YAML: &str = "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: backup\nspec:\n  cronSpec: \"@hourly\"\n  replicas: 2\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_manages_custom_resources() {
    let tc = common::TestCluster::start_like_golden().await;
    let kc = tc.kubeconfig.clone();
    let dir = tc.dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        let crd = write(&dir, "crd.yaml", CRD_YAML);
        assert_eq!(
            ok(&kc, &["apply", "-f", &crd]),
            "customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n"
        );
        ok(
            &kc,
            &["wait", "--for", "condition=established", "--timeout=20s", "crd/crontabs.stable.example.com"],
        );
        let resources = kubectl_until(&kc, &["api-resources", "--api-group=stable.example.com"], |o| {
            o.contains("crontabs")
        });
        let line = resources.lines().find(|l| l.starts_with("crontabs")).unwrap();
        assert_eq!(
            line.split_whitespace().collect::<Vec<_>>(),
            ["crontabs", "ct", "stable.example.com/v1", "true", "CronTab"]
        );
        assert_eq!(
            kubectl(&kc, &["get", "crontabs"]).stderr,
            b"No resources found in default namespace.\n"
        );
        let cr = write(&dir, "cr.yaml", CR_YAML);
        assert_eq!(
            ok(&kc, &["apply", "-f", &cr]),
            "crontab.stable.example.com/backup created\n"
        );
        let table = ok(&kc, &["get", "ct"]);
        let mut lines = table.lines();
        assert_eq!(
            lines.next().unwrap().split_whitespace().collect::<Vec<_>>(),
            ["NAME", "SPEC", "REPLICAS", "AGE"]
        );
        let row: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
        assert_eq!(row[..3], ["backup", "@hourly", "2"]);
        // A changed manifest applied again is a merge patch.
        write(&dir, "cr.yaml", &CR_YAML.replace("replicas: 2", "replicas: 5"));
        assert_eq!(
            ok(&kc, &["apply", "-f", &cr]),
            "crontab.stable.example.com/backup configured\n"
        );
        let yaml = ok(&kc, &["get", "crontab", "backup", "-o", "yaml"]);
        let obj: Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(obj["apiVersion"], "stable.example.com/v1");
        assert_eq!(obj["kind"], "CronTab");
        assert_eq!(obj["spec"]["replicas"], 5);
        assert_eq!(obj["metadata"]["generation"], 2);
        // The scale subresource.
        assert_eq!(
            ok(&kc, &["scale", "crontab/backup", "--replicas=7"]),
            "crontab.stable.example.com/backup scaled\n"
        );
        assert_eq!(ok(&kc, &["get", "ct", "backup", "-o", "jsonpath={.spec.replicas} {.metadata.generation}"]), "7 3");
        assert!(
            obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
                .is_string()
        );
        assert_eq!(
            ok(&kc, &["label", "crontab", "backup", "tier=batch"]),
            "crontab.stable.example.com/backup labeled\n"
        );
        assert_eq!(ok(&kc, &["get", "ct", "-l", "tier=batch", "-o", "name"]), "crontab.stable.example.com/backup\n");
        assert_eq!(
            ok(&kc, &["delete", "-f", &cr]),
            "crontab.stable.example.com \"backup\" deleted from default namespace\n"
        );
        ok(&kc, &["apply", "-f", &cr]);
        // Server-side apply (what the portal's "create from YAML" sends).
        let ssa = write(&dir, "ssa.yaml", &CR_YAML.replace("name: backup", "name: ssa"));
        assert_eq!(
            ok(&kc, &["apply", "--server-side", "-f", &ssa]),
            "crontab.stable.example.com/ssa serverside-applied\n"
        );
        write(&dir, "ssa.yaml", &CR_YAML.replace("name: backup", "name: ssa").replace("replicas: 2", "replicas: 4"));
        ok(&kc, &["apply", "--server-side", "-f", &ssa]);
        assert_eq!(ok(&kc, &["get", "ct", "ssa", "-o", "jsonpath={.spec.replicas}"]), "4");
        assert_eq!(
            ok(&kc, &["delete", "crd", "crontabs.stable.example.com"]),
            "customresourcedefinition.apiextensions.k8s.io \"crontabs.stable.example.com\" deleted\n"
        );
        let out = kubectl(&kc, &["get", "crontabs.stable.example.com"]);
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("the server doesn't have a resource type"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    })
    .await
    .expect("kubectl steps");
    tc.cluster.shutdown().await;
}
