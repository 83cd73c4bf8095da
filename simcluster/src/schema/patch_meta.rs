//! Strategic-merge-patch metadata of list fields (merge keys and sets), extracted from
//! k8s-openapi 0.29's generated `DeepMerge` implementations for Kubernetes v1.36 (which follow
//! the spec's `x-kubernetes-patch-merge-key` / `x-kubernetes-list-map-keys` / list types).
//! kubectl (client-side apply) reads it from the OpenAPI documents to compute patches.

/// (definition, field, merge keys joined by `,`; empty for a set)
pub(crate) const PATCH_META: &[(&str, &str, &str)] = &[
    (
        "io.k8s.api.admissionregistration.v1.MutatingAdmissionPolicySpec",
        "matchConditions",
        "name",
    ),
    (
        "io.k8s.api.admissionregistration.v1.MutatingWebhook",
        "matchConditions",
        "name",
    ),
    (
        "io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration",
        "webhooks",
        "name",
    ),
    (
        "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec",
        "validationActions",
        "",
    ),
    (
        "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec",
        "matchConditions",
        "name",
    ),
    (
        "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec",
        "variables",
        "name",
    ),
    (
        "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyStatus",
        "conditions",
        "type",
    ),
    (
        "io.k8s.api.admissionregistration.v1.ValidatingWebhook",
        "matchConditions",
        "name",
    ),
    (
        "io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration",
        "webhooks",
        "name",
    ),
    ("io.k8s.api.apps.v1.DaemonSetStatus", "conditions", "type"),
    ("io.k8s.api.apps.v1.DeploymentStatus", "conditions", "type"),
    ("io.k8s.api.apps.v1.ReplicaSetStatus", "conditions", "type"),
    (
        "io.k8s.api.apps.v1.StatefulSetSpec",
        "volumeClaimTemplates",
        "",
    ),
    ("io.k8s.api.apps.v1.StatefulSetStatus", "conditions", "type"),
    (
        "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus",
        "conditions",
        "type",
    ),
    ("io.k8s.api.batch.v1.JobStatus", "conditions", "type"),
    (
        "io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement",
        "values",
        "",
    ),
    ("io.k8s.api.batch.v1.UncountedTerminatedPods", "failed", ""),
    (
        "io.k8s.api.batch.v1.UncountedTerminatedPods",
        "succeeded",
        "",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequestStatus",
        "conditions",
        "type",
    ),
    ("io.k8s.api.core.v1.ComponentStatus", "conditions", "type"),
    ("io.k8s.api.core.v1.Container", "env", "name"),
    ("io.k8s.api.core.v1.Container", "ports", "containerPort"),
    (
        "io.k8s.api.core.v1.Container",
        "volumeDevices",
        "devicePath",
    ),
    ("io.k8s.api.core.v1.Container", "volumeMounts", "mountPath"),
    (
        "io.k8s.api.core.v1.ContainerRestartRuleOnExitCodes",
        "values",
        "",
    ),
    (
        "io.k8s.api.core.v1.ContainerStatus",
        "allocatedResourcesStatus",
        "name",
    ),
    (
        "io.k8s.api.core.v1.ContainerStatus",
        "volumeMounts",
        "mountPath",
    ),
    ("io.k8s.api.core.v1.EphemeralContainer", "env", "name"),
    (
        "io.k8s.api.core.v1.EphemeralContainer",
        "ports",
        "containerPort",
    ),
    (
        "io.k8s.api.core.v1.EphemeralContainer",
        "volumeDevices",
        "devicePath",
    ),
    (
        "io.k8s.api.core.v1.EphemeralContainer",
        "volumeMounts",
        "mountPath",
    ),
    ("io.k8s.api.core.v1.NamespaceStatus", "conditions", "type"),
    (
        "io.k8s.api.core.v1.NodeAllocatableResourceClaimStatus",
        "containers",
        "",
    ),
    ("io.k8s.api.core.v1.NodeSpec", "podCIDRs", ""),
    ("io.k8s.api.core.v1.NodeStatus", "addresses", "type"),
    ("io.k8s.api.core.v1.NodeStatus", "conditions", "type"),
    (
        "io.k8s.api.core.v1.PersistentVolumeClaimStatus",
        "conditions",
        "type",
    ),
    ("io.k8s.api.core.v1.PodSpec", "containers", "name"),
    ("io.k8s.api.core.v1.PodSpec", "ephemeralContainers", "name"),
    ("io.k8s.api.core.v1.PodSpec", "hostAliases", "ip"),
    ("io.k8s.api.core.v1.PodSpec", "imagePullSecrets", "name"),
    ("io.k8s.api.core.v1.PodSpec", "initContainers", "name"),
    ("io.k8s.api.core.v1.PodSpec", "resourceClaims", "name"),
    ("io.k8s.api.core.v1.PodSpec", "schedulingGates", "name"),
    (
        "io.k8s.api.core.v1.PodSpec",
        "topologySpreadConstraints",
        "topologyKey",
    ),
    ("io.k8s.api.core.v1.PodSpec", "volumes", "name"),
    ("io.k8s.api.core.v1.PodStatus", "conditions", "type"),
    ("io.k8s.api.core.v1.PodStatus", "hostIPs", "ip"),
    ("io.k8s.api.core.v1.PodStatus", "podIPs", "ip"),
    (
        "io.k8s.api.core.v1.PodStatus",
        "resourceClaimStatuses",
        "name",
    ),
    (
        "io.k8s.api.core.v1.ReplicationControllerStatus",
        "conditions",
        "type",
    ),
    ("io.k8s.api.core.v1.ResourceRequirements", "claims", "name"),
    (
        "io.k8s.api.core.v1.ResourceStatus",
        "resources",
        "resourceID",
    ),
    ("io.k8s.api.core.v1.ServiceAccount", "secrets", "name"),
    ("io.k8s.api.core.v1.ServiceSpec", "ports", "port"),
    ("io.k8s.api.core.v1.ServiceStatus", "conditions", "type"),
    ("io.k8s.api.discovery.v1.Endpoint", "addresses", ""),
    (
        "io.k8s.api.flowcontrol.v1.FlowSchemaStatus",
        "conditions",
        "type",
    ),
    (
        "io.k8s.api.flowcontrol.v1.NonResourcePolicyRule",
        "nonResourceURLs",
        "",
    ),
    (
        "io.k8s.api.flowcontrol.v1.NonResourcePolicyRule",
        "verbs",
        "",
    ),
    (
        "io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationStatus",
        "conditions",
        "type",
    ),
    (
        "io.k8s.api.flowcontrol.v1.ResourcePolicyRule",
        "apiGroups",
        "",
    ),
    (
        "io.k8s.api.flowcontrol.v1.ResourcePolicyRule",
        "namespaces",
        "",
    ),
    (
        "io.k8s.api.flowcontrol.v1.ResourcePolicyRule",
        "resources",
        "",
    ),
    ("io.k8s.api.flowcontrol.v1.ResourcePolicyRule", "verbs", ""),
    (
        "io.k8s.api.networking.v1.ServiceCIDRStatus",
        "conditions",
        "type",
    ),
    (
        "io.k8s.api.policy.v1.PodDisruptionBudgetStatus",
        "conditions",
        "type",
    ),
    (
        "io.k8s.api.resource.v1.AllocatedDeviceStatus",
        "conditions",
        "type",
    ),
    (
        "io.k8s.api.resource.v1.ResourceClaimStatus",
        "devices",
        "driver,device,pool,shareID",
    ),
    (
        "io.k8s.api.resource.v1.ResourceClaimStatus",
        "reservedFor",
        "uid",
    ),
    (
        "io.k8s.api.storage.v1.CSIDriverSpec",
        "volumeLifecycleModes",
        "",
    ),
    ("io.k8s.api.storage.v1.CSINodeSpec", "drivers", "name"),
    (
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus",
        "conditions",
        "type",
    ),
    (
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps",
        "x-kubernetes-validations",
        "rule",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "finalizers",
        "",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "ownerReferences",
        "uid",
    ),
    (
        "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceStatus",
        "conditions",
        "type",
    ),
];

/// Fields whose patch strategy also retains keys (`merge,retainKeys` / `retainKeys`).
pub(crate) const RETAIN_KEYS: &[(&str, &str, &str)] = &[
    ("io.k8s.api.core.v1.PodSpec", "volumes", "merge,retainKeys"),
    (
        "io.k8s.api.core.v1.PodSpec",
        "resourceClaims",
        "merge,retainKeys",
    ),
    (
        "io.k8s.api.apps.v1.DeploymentSpec",
        "strategy",
        "retainKeys",
    ),
];

/// Sets that the strategic merge patch merges (union) rather than replaces.
pub(crate) const MERGED_SETS: &[(&str, &str)] = &[
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "finalizers",
    ),
    ("io.k8s.api.core.v1.NodeSpec", "podCIDRs"),
];
