//! The patch-strategy table: the k8s.io/api types reachable from the built-in kinds, with their
//! `patchStrategy`/`patchMergeKey` tags (strategic merge patch) and `listType`/`listMapKey`/
//! `mapType`/`structType` markers (server-side apply), plus the kinds themselves.
//!
//! Type lines: `Name field=SPEC ...`; `Name!` is an atomic struct (`+structType=atomic`).
//! SPEC: `Type` (a struct; undeclared names are granular structs), `{}` / `{Type}` a map
//! (`{}!` atomic), `[]` / `[Type]` a list, atomic unless followed by `set` or
//! `map(key,key=default)`; then optionally `+merge`, `+merge(key)` or `+replace` (patchStrategy).
//! Fields not listed are scalars, granular structs or atomic lists, which is what both algorithms
//! assume for undeclared fields.

pub const TYPES: &str = r#"
Object metadata=ObjectMeta
ObjectMeta labels={} annotations={} finalizers=[]set+merge ownerReferences=[OwnerReference]map(uid)+merge(uid)
OwnerReference!
LabelSelector!
ObjectReference!
LocalObjectReference!
TypedLocalObjectReference!
SecretReference!
NodeSelector!
TopologySelectorTerm!
ConfigMapKeySelector!
SecretKeySelector!
ObjectFieldSelector!
ResourceFieldSelector!
ConfigMapEnvSource!
SecretEnvSource!
Condition
Pod metadata=ObjectMeta spec=PodSpec status=PodStatus
PodTemplate metadata=ObjectMeta template=PodTemplateSpec
PodTemplateSpec metadata=ObjectMeta spec=PodSpec
PodSpec volumes=[Volume]map(name)+merge(name) initContainers=[Container]map(name)+merge(name) containers=[Container]map(name)+merge(name) ephemeralContainers=[Container]map(name)+merge(name) nodeSelector={}! imagePullSecrets=[LocalObjectReference]map(name)+merge(name) affinity=Affinity hostAliases=[HostAlias]map(ip)+merge(ip) topologySpreadConstraints=[TopologySpreadConstraint]map(topologyKey,whenUnsatisfiable)+merge(topologyKey) schedulingGates=[PodSchedulingGate]map(name)+merge(name) resourceClaims=[PodResourceClaim]map(name)+merge(name) overhead={} resources=ResourceRequirements
Affinity nodeAffinity=NodeAffinity
NodeAffinity requiredDuringSchedulingIgnoredDuringExecution=NodeSelector
TopologySpreadConstraint labelSelector=LabelSelector
Container ports=[ContainerPort]map(containerPort,protocol=TCP)+merge(containerPort) env=[EnvVar]map(name)+merge(name) envFrom=[EnvFromSource] resources=ResourceRequirements volumeMounts=[VolumeMount]map(mountPath)+merge(mountPath) volumeDevices=[VolumeDevice]map(devicePath)+merge(devicePath)
ResourceRequirements limits={} requests={} claims=[ResourceClaim]map(name)
EnvVar valueFrom=EnvVarSource
EnvVarSource configMapKeyRef=ConfigMapKeySelector secretKeyRef=SecretKeySelector fieldRef=ObjectFieldSelector resourceFieldRef=ResourceFieldSelector
EnvFromSource configMapRef=ConfigMapEnvSource secretRef=SecretEnvSource
Volume ephemeral=EphemeralVolumeSource csi=CSIVolumeSource
CSIVolumeSource nodePublishSecretRef=LocalObjectReference volumeAttributes={}
EphemeralVolumeSource volumeClaimTemplate=PersistentVolumeClaimTemplate
PersistentVolumeClaimTemplate metadata=ObjectMeta spec=PersistentVolumeClaimSpec
PodStatus conditions=[PodCondition]map(type)+merge(type) podIPs=[PodIP]map(ip)+merge(ip) hostIPs=[HostIP]map(ip)+merge(ip) resourceClaimStatuses=[PodResourceClaimStatus]map(name)+merge(name)
ReplicationController metadata=ObjectMeta spec=ReplicationControllerSpec status=ReplicationControllerStatus
ReplicationControllerSpec selector={}! template=PodTemplateSpec
ReplicationControllerStatus conditions=[ReplicationControllerCondition]map(type)+merge(type)
Service metadata=ObjectMeta spec=ServiceSpec status=ServiceStatus
ServiceSpec ports=[ServicePort]map(port,protocol=TCP)+merge(port) selector={}!
ServiceStatus conditions=[Condition]map(type)+merge(type)
Namespace metadata=ObjectMeta status=NamespaceStatus
NamespaceStatus conditions=[NamespaceCondition]map(type)+merge(type)
Node metadata=ObjectMeta spec=NodeSpec status=NodeStatus
NodeSpec podCIDRs=[]set+merge
NodeStatus capacity={} allocatable={} conditions=[NodeCondition]map(type)+merge(type) addresses=[NodeAddress]map(type)+merge(type)
ServiceAccount metadata=ObjectMeta secrets=[ObjectReference]map(name)+merge(name)
PersistentVolumeClaim metadata=ObjectMeta spec=PersistentVolumeClaimSpec status=PersistentVolumeClaimStatus
PersistentVolumeClaimSpec selector=LabelSelector resources=VolumeResourceRequirements dataSource=TypedLocalObjectReference
VolumeResourceRequirements limits={} requests={}
PersistentVolumeClaimStatus capacity={} allocatedResources={} conditions=[PersistentVolumeClaimCondition]map(type)+merge(type)
PersistentVolume metadata=ObjectMeta spec=PersistentVolumeSpec
PersistentVolumeSpec capacity={} claimRef=ObjectReference nodeAffinity=VolumeNodeAffinity
VolumeNodeAffinity required=NodeSelector
ConfigMap metadata=ObjectMeta data={} binaryData={}
Secret metadata=ObjectMeta data={} stringData={}
ResourceQuota metadata=ObjectMeta spec=ResourceQuotaSpec status=ResourceQuotaStatus
ResourceQuotaSpec hard={}
ResourceQuotaStatus hard={} used={}
Event metadata=ObjectMeta involvedObject=ObjectReference related=ObjectReference regarding=ObjectReference
Deployment metadata=ObjectMeta spec=DeploymentSpec status=DeploymentStatus
DeploymentSpec selector=LabelSelector template=PodTemplateSpec
DeploymentStatus conditions=[DeploymentCondition]map(type)+merge(type)
ReplicaSet metadata=ObjectMeta spec=ReplicaSetSpec status=ReplicaSetStatus
ReplicaSetSpec selector=LabelSelector template=PodTemplateSpec
ReplicaSetStatus conditions=[ReplicaSetCondition]map(type)+merge(type)
StatefulSet metadata=ObjectMeta spec=StatefulSetSpec status=StatefulSetStatus
StatefulSetSpec selector=LabelSelector template=PodTemplateSpec
StatefulSetStatus conditions=[StatefulSetCondition]map(type)+merge(type)
DaemonSet metadata=ObjectMeta spec=DaemonSetSpec status=DaemonSetStatus
DaemonSetSpec selector=LabelSelector template=PodTemplateSpec
DaemonSetStatus conditions=[DaemonSetCondition]map(type)+merge(type)
ControllerRevision metadata=ObjectMeta
Job metadata=ObjectMeta spec=JobSpec status=JobStatus
JobSpec selector=LabelSelector template=PodTemplateSpec
JobStatus conditions=[JobCondition]+merge(type) uncountedTerminatedPods=UncountedTerminatedPods
UncountedTerminatedPods succeeded=[]set failed=[]set
CronJob metadata=ObjectMeta spec=CronJobSpec
CronJobSpec jobTemplate=JobTemplateSpec
JobTemplateSpec metadata=ObjectMeta spec=JobSpec
HorizontalPodAutoscaler metadata=ObjectMeta status=HorizontalPodAutoscalerStatus
HorizontalPodAutoscalerStatus conditions=[HorizontalPodAutoscalerCondition]map(type)+merge(type)
PodDisruptionBudget metadata=ObjectMeta spec=PodDisruptionBudgetSpec status=PodDisruptionBudgetStatus
PodDisruptionBudgetSpec selector=LabelSelector
PodDisruptionBudgetStatus conditions=[Condition]map(type)+merge(type) disruptedPods={}
NetworkPolicy metadata=ObjectMeta spec=NetworkPolicySpec
NetworkPolicySpec podSelector=LabelSelector
RoleBinding metadata=ObjectMeta roleRef=RoleRef
RoleRef!
"#;

/// Built-in kinds: (API group, kind, root type, has a `status` subresource, the JSON of an empty
/// object of the type as `runtime.DefaultUnstructuredConverter` renders it (what managedFields of a
/// create are computed against).
pub const KINDS: &[(&str, &str, &str, bool, &str)] = &[
    (
        "",
        "Pod",
        "Pod",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{"containers":null},"status":{}}"#,
    ),
    (
        "",
        "PodTemplate",
        "PodTemplate",
        false,
        r#"{"metadata":{"creationTimestamp":null},"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":null}}}"#,
    ),
    (
        "",
        "ReplicationController",
        "ReplicationController",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{},"status":{"replicas":0}}"#,
    ),
    (
        "",
        "Service",
        "Service",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{},"status":{"loadBalancer":{}}}"#,
    ),
    (
        "",
        "Namespace",
        "Namespace",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{},"status":{}}"#,
    ),
    (
        "",
        "Node",
        "Node",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{},"status":{"daemonEndpoints":{"kubeletEndpoint":{"Port":0}},"nodeInfo":{"machineID":"","systemUUID":"","bootID":"","kernelVersion":"","osImage":"","containerRuntimeVersion":"","kubeletVersion":"","kubeProxyVersion":"","operatingSystem":"","architecture":""}}}"#,
    ),
    (
        "",
        "ServiceAccount",
        "ServiceAccount",
        false,
        r#"{"metadata":{"creationTimestamp":null}}"#,
    ),
    (
        "",
        "PersistentVolumeClaim",
        "PersistentVolumeClaim",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{"resources":{}},"status":{}}"#,
    ),
    (
        "",
        "PersistentVolume",
        "PersistentVolume",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{},"status":{}}"#,
    ),
    (
        "",
        "ConfigMap",
        "ConfigMap",
        false,
        r#"{"metadata":{"creationTimestamp":null}}"#,
    ),
    (
        "",
        "Secret",
        "Secret",
        false,
        r#"{"metadata":{"creationTimestamp":null}}"#,
    ),
    (
        "",
        "Endpoints",
        "Object",
        false,
        r#"{"metadata":{"creationTimestamp":null}}"#,
    ),
    (
        "",
        "Event",
        "Event",
        false,
        r#"{"metadata":{"creationTimestamp":null},"involvedObject":{},"source":{},"firstTimestamp":null,"lastTimestamp":null,"eventTime":null,"reportingComponent":"","reportingInstance":""}"#,
    ),
    (
        "",
        "LimitRange",
        "Object",
        false,
        r#"{"metadata":{"creationTimestamp":null},"spec":{"limits":null}}"#,
    ),
    (
        "",
        "ResourceQuota",
        "ResourceQuota",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{},"status":{}}"#,
    ),
    (
        "apps",
        "Deployment",
        "Deployment",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{"selector":null,"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":null}},"strategy":{}},"status":{}}"#,
    ),
    (
        "apps",
        "ReplicaSet",
        "ReplicaSet",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{"selector":null,"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":null}}},"status":{"replicas":0}}"#,
    ),
    (
        "apps",
        "StatefulSet",
        "StatefulSet",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{"selector":null,"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":null}},"updateStrategy":{}},"status":{"replicas":0,"availableReplicas":0}}"#,
    ),
    (
        "apps",
        "DaemonSet",
        "DaemonSet",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{"selector":null,"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":null}},"updateStrategy":{}},"status":{"currentNumberScheduled":0,"numberMisscheduled":0,"desiredNumberScheduled":0,"numberReady":0}}"#,
    ),
    (
        "apps",
        "ControllerRevision",
        "ControllerRevision",
        false,
        r#"{"metadata":{"creationTimestamp":null},"data":null,"revision":0}"#,
    ),
    (
        "batch",
        "Job",
        "Job",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":null}}},"status":{}}"#,
    ),
    (
        "batch",
        "CronJob",
        "CronJob",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{"schedule":"","jobTemplate":{"metadata":{"creationTimestamp":null},"spec":{"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":null}}}}},"status":{}}"#,
    ),
    (
        "autoscaling",
        "HorizontalPodAutoscaler",
        "HorizontalPodAutoscaler",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{"scaleTargetRef":{"kind":"","name":""},"maxReplicas":0},"status":{"desiredReplicas":0}}"#,
    ),
    (
        "policy",
        "PodDisruptionBudget",
        "PodDisruptionBudget",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{},"status":{"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0}}"#,
    ),
    (
        "networking.k8s.io",
        "NetworkPolicy",
        "NetworkPolicy",
        false,
        r#"{"metadata":{"creationTimestamp":null},"spec":{"podSelector":{}}}"#,
    ),
    (
        "networking.k8s.io",
        "Ingress",
        "Object",
        true,
        r#"{"metadata":{"creationTimestamp":null},"spec":{},"status":{"loadBalancer":{}}}"#,
    ),
    (
        "rbac.authorization.k8s.io",
        "Role",
        "Object",
        false,
        r#"{"metadata":{"creationTimestamp":null},"rules":null}"#,
    ),
    (
        "rbac.authorization.k8s.io",
        "ClusterRole",
        "Object",
        false,
        r#"{"metadata":{"creationTimestamp":null},"rules":null}"#,
    ),
    (
        "rbac.authorization.k8s.io",
        "RoleBinding",
        "RoleBinding",
        false,
        r#"{"metadata":{"creationTimestamp":null},"roleRef":{"apiGroup":"","kind":"","name":""}}"#,
    ),
    (
        "rbac.authorization.k8s.io",
        "ClusterRoleBinding",
        "RoleBinding",
        false,
        r#"{"metadata":{"creationTimestamp":null},"roleRef":{"apiGroup":"","kind":"","name":""}}"#,
    ),
];

/// API groups served by kube-apiserver itself (strategic merge patch works for every kind in them).
pub const BUILTIN_GROUPS: &[&str] = &[
    "",
    "apps",
    "batch",
    "autoscaling",
    "policy",
    "networking.k8s.io",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "node.k8s.io",
    "certificates.k8s.io",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "resource.k8s.io",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "internal.apiserver.k8s.io",
    "storagemigration.k8s.io",
];
