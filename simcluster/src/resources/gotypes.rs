//! Field lists of the internal `k8s.io/kubernetes/pkg/apis/core` types reachable from `PodSpec`
//! (v1.36), in Go struct order, with the v1 JSON name each one is read from. Used to print a pod
//! spec the way `json.MarshalIndent` prints the internal struct in pod-update errors.
//!
//! Syntax: one type per line, `Type: Field[=json]:kind ...`. The JSON name defaults to the Go name
//! with a lower-case first letter. Kinds: `s` string, `b` bool, `i` integer, `*s`/`*b`/`*i`
//! pointers, `[s`/`[i` slices, `m` map of strings, `rl` resource list, `q`/`*q` quantity, `ios`
//! IntOrString, `*ls` metav1.LabelSelector, `om` embedded metav1.ObjectMeta, `T`/`*T`/`[T` another
//! type of this table and `^T` an embedded type (its fields are read from the same JSON object).

pub const SCHEMA: &str = r#"
PodSpec: Volumes:[Volume InitContainers:[Container Containers:[Container EphemeralContainers:[EphemeralContainer RestartPolicy:s TerminationGracePeriodSeconds:*i ActiveDeadlineSeconds:*i DNSPolicy=dnsPolicy:s NodeSelector:m ServiceAccountName:s AutomountServiceAccountToken:*b NodeName:s SecurityContext:*PodSecurityContext ImagePullSecrets:[LocalObjectReference Hostname:s Subdomain:s SetHostnameAsFQDN=setHostnameAsFQDN:*b Affinity:*Affinity SchedulerName:s Tolerations:[Toleration HostAliases:[HostAlias PriorityClassName:s Priority:*i PreemptionPolicy:*s DNSConfig=dnsConfig:*PodDNSConfig ReadinessGates:[PodReadinessGate RuntimeClassName:*s Overhead:rl EnableServiceLinks:*b TopologySpreadConstraints:[TopologySpreadConstraint OS=os:*PodOS SchedulingGates:[PodSchedulingGate ResourceClaims:[PodResourceClaim Resources:*ResourceRequirements HostnameOverride:*s SchedulingGroup:*PodSchedulingGroup
Container: Name:s Image:s Command:[s Args:[s WorkingDir:s Ports:[ContainerPort EnvFrom:[EnvFromSource Env:[EnvVar Resources:ResourceRequirements ResizePolicy:[ContainerResizePolicy RestartPolicy:*s RestartPolicyRules:[ContainerRestartRule VolumeMounts:[VolumeMount VolumeDevices:[VolumeDevice LivenessProbe:*Probe ReadinessProbe:*Probe StartupProbe:*Probe Lifecycle:*Lifecycle TerminationMessagePath:s TerminationMessagePolicy:s ImagePullPolicy:s SecurityContext:*SecurityContext Stdin:b StdinOnce:b TTY=tty:b
EphemeralContainer: ^Container TargetContainerName:s
ContainerPort: Name:s HostPort:i ContainerPort:i Protocol:s HostIP=hostIP:s
EnvFromSource: Prefix:s ConfigMapRef:*ConfigMapEnvSource SecretRef:*SecretEnvSource
ConfigMapEnvSource: ^LocalObjectReference Optional:*b
SecretEnvSource: ^LocalObjectReference Optional:*b
LocalObjectReference: Name:s
EnvVar: Name:s Value:s ValueFrom:*EnvVarSource
EnvVarSource: FieldRef:*ObjectFieldSelector ResourceFieldRef:*ResourceFieldSelector ConfigMapKeyRef:*ConfigMapKeySelector SecretKeyRef:*SecretKeySelector FileKeyRef:*FileKeySelector
ObjectFieldSelector: APIVersion=apiVersion:s FieldPath:s
ResourceFieldSelector: ContainerName:s Resource:s Divisor:q
ConfigMapKeySelector: ^LocalObjectReference Key:s Optional:*b
SecretKeySelector: ^LocalObjectReference Key:s Optional:*b
FileKeySelector: VolumeName:s Path:s Key:s Optional:*b
ResourceRequirements: Limits:rl Requests:rl Claims:[ResourceClaim
ResourceClaim: Name:s Request:s
ContainerResizePolicy: ResourceName:s RestartPolicy:s
ContainerRestartRule: Action:s ExitCodes:*ContainerRestartRuleOnExitCodes
ContainerRestartRuleOnExitCodes: Operator:s Values:[i
VolumeMount: Name:s ReadOnly:b RecursiveReadOnly:*s MountPath:s SubPath:s MountPropagation:*s SubPathExpr:s
VolumeDevice: Name:s DevicePath:s
Probe: ^ProbeHandler InitialDelaySeconds:i TimeoutSeconds:i PeriodSeconds:i SuccessThreshold:i FailureThreshold:i TerminationGracePeriodSeconds:*i
ProbeHandler: Exec:*ExecAction HTTPGet=httpGet:*HTTPGetAction TCPSocket=tcpSocket:*TCPSocketAction GRPC=grpc:*GRPCAction
ExecAction: Command:[s
HTTPGetAction: Path:s Port:ios Host:s Scheme:s HTTPHeaders=httpHeaders:[HTTPHeader
HTTPHeader: Name:s Value:s
TCPSocketAction: Port:ios Host:s
GRPCAction: Port:i Service:*s
Lifecycle: PostStart:*LifecycleHandler PreStop:*LifecycleHandler StopSignal:*s
LifecycleHandler: Exec:*ExecAction HTTPGet=httpGet:*HTTPGetAction TCPSocket=tcpSocket:*TCPSocketAction Sleep:*SleepAction
SleepAction: Seconds:i
SecurityContext: Capabilities:*Capabilities Privileged:*b SELinuxOptions=seLinuxOptions:*SELinuxOptions WindowsOptions:*WindowsSecurityContextOptions RunAsUser:*i RunAsGroup:*i RunAsNonRoot:*b ReadOnlyRootFilesystem:*b AllowPrivilegeEscalation:*b ProcMount:*s SeccompProfile:*SeccompProfile AppArmorProfile:*AppArmorProfile
Capabilities: Add:[s Drop:[s
SELinuxOptions: User:s Role:s Type:s Level:s
WindowsSecurityContextOptions: GMSACredentialSpecName=gmsaCredentialSpecName:*s GMSACredentialSpec=gmsaCredentialSpec:*s RunAsUserName:*s HostProcess:*b
SeccompProfile: Type:s LocalhostProfile:*s
AppArmorProfile: Type:s LocalhostProfile:*s
PodSecurityContext: HostNetwork:b HostPID=hostPID:b HostIPC=hostIPC:b ShareProcessNamespace:*b HostUsers:*b SELinuxOptions=seLinuxOptions:*SELinuxOptions WindowsOptions:*WindowsSecurityContextOptions RunAsUser:*i RunAsGroup:*i RunAsNonRoot:*b SupplementalGroups:[i SupplementalGroupsPolicy:*s FSGroup=fsGroup:*i FSGroupChangePolicy=fsGroupChangePolicy:*s Sysctls:[Sysctl SeccompProfile:*SeccompProfile AppArmorProfile:*AppArmorProfile SELinuxChangePolicy=seLinuxChangePolicy:*s
Sysctl: Name:s Value:s
Affinity: NodeAffinity:*NodeAffinity PodAffinity:*PodAffinity PodAntiAffinity:*PodAffinity
NodeAffinity: RequiredDuringSchedulingIgnoredDuringExecution:*NodeSelector PreferredDuringSchedulingIgnoredDuringExecution:[PreferredSchedulingTerm
NodeSelector: NodeSelectorTerms:[NodeSelectorTerm
NodeSelectorTerm: MatchExpressions:[NodeSelectorRequirement MatchFields:[NodeSelectorRequirement
NodeSelectorRequirement: Key:s Operator:s Values:[s
PreferredSchedulingTerm: Weight:i Preference:NodeSelectorTerm
PodAffinity: RequiredDuringSchedulingIgnoredDuringExecution:[PodAffinityTerm PreferredDuringSchedulingIgnoredDuringExecution:[WeightedPodAffinityTerm
WeightedPodAffinityTerm: Weight:i PodAffinityTerm:PodAffinityTerm
PodAffinityTerm: LabelSelector:*ls Namespaces:[s TopologyKey:s NamespaceSelector:*ls MatchLabelKeys:[s MismatchLabelKeys:[s
Toleration: Key:s Operator:s Value:s Effect:s TolerationSeconds:*i
HostAlias: IP=ip:s Hostnames:[s
PodDNSConfig: Nameservers:[s Searches:[s Options:[PodDNSConfigOption
PodDNSConfigOption: Name:s Value:*s
PodReadinessGate: ConditionType:s
TopologySpreadConstraint: MaxSkew:i TopologyKey:s WhenUnsatisfiable:s LabelSelector:*ls MinDomains:*i NodeAffinityPolicy:*s NodeTaintsPolicy:*s MatchLabelKeys:[s
PodOS: Name:s
PodSchedulingGate: Name:s
PodResourceClaim: Name:s ResourceClaimName:*s ResourceClaimTemplateName:*s
PodSchedulingGroup: PodGroupName:*s
Volume: Name:s ^VolumeSource
VolumeSource: HostPath:*HostPathVolumeSource EmptyDir:*EmptyDirVolumeSource GCEPersistentDisk=gcePersistentDisk:*GCEPersistentDiskVolumeSource AWSElasticBlockStore=awsElasticBlockStore:*AWSElasticBlockStoreVolumeSource GitRepo:*GitRepoVolumeSource Secret:*SecretVolumeSource NFS=nfs:*NFSVolumeSource ISCSI=iscsi:*ISCSIVolumeSource Glusterfs:*GlusterfsVolumeSource PersistentVolumeClaim:*PersistentVolumeClaimVolumeSource RBD=rbd:*RBDVolumeSource Quobyte:*QuobyteVolumeSource FlexVolume:*FlexVolumeSource Cinder:*CinderVolumeSource CephFS=cephfs:*CephFSVolumeSource Flocker:*FlockerVolumeSource DownwardAPI=downwardAPI:*DownwardAPIVolumeSource FC=fc:*FCVolumeSource AzureFile:*AzureFileVolumeSource ConfigMap:*ConfigMapVolumeSource VsphereVolume:*VsphereVirtualDiskVolumeSource AzureDisk:*AzureDiskVolumeSource PhotonPersistentDisk:*PhotonPersistentDiskVolumeSource Projected:*ProjectedVolumeSource PortworxVolume:*PortworxVolumeSource ScaleIO=scaleIO:*ScaleIOVolumeSource StorageOS=storageos:*StorageOSVolumeSource CSI=csi:*CSIVolumeSource Ephemeral:*EphemeralVolumeSource Image:*ImageVolumeSource
HostPathVolumeSource: Path:s Type:*s
EmptyDirVolumeSource: Medium:s SizeLimit:*q
GCEPersistentDiskVolumeSource: PDName=pdName:s FSType=fsType:s Partition:i ReadOnly:b
AWSElasticBlockStoreVolumeSource: VolumeID=volumeID:s FSType=fsType:s Partition:i ReadOnly:b
GitRepoVolumeSource: Repository:s Revision:s Directory:s
SecretVolumeSource: SecretName:s Items:[KeyToPath DefaultMode:*i Optional:*b
KeyToPath: Key:s Path:s Mode:*i
NFSVolumeSource: Server:s Path:s ReadOnly:b
ISCSIVolumeSource: TargetPortal:s IQN=iqn:s Lun:i ISCSIInterface=iscsiInterface:s FSType=fsType:s ReadOnly:b Portals:[s DiscoveryCHAPAuth=chapAuthDiscovery:b SessionCHAPAuth=chapAuthSession:b SecretRef:*LocalObjectReference InitiatorName:*s
GlusterfsVolumeSource: EndpointsName=endpoints:s Path:s ReadOnly:b
PersistentVolumeClaimVolumeSource: ClaimName:s ReadOnly:b
RBDVolumeSource: CephMonitors=monitors:[s RBDImage=image:s FSType=fsType:s RBDPool=pool:s RadosUser=user:s Keyring:s SecretRef:*LocalObjectReference ReadOnly:b
QuobyteVolumeSource: Registry:s Volume:s ReadOnly:b User:s Group:s Tenant:s
FlexVolumeSource: Driver:s FSType=fsType:s SecretRef:*LocalObjectReference ReadOnly:b Options:m
CinderVolumeSource: VolumeID=volumeID:s FSType=fsType:s ReadOnly:b SecretRef:*LocalObjectReference
CephFSVolumeSource: Monitors:[s Path:s User:s SecretFile:s SecretRef:*LocalObjectReference ReadOnly:b
FlockerVolumeSource: DatasetName:s DatasetUUID=datasetUUID:s
DownwardAPIVolumeSource: Items:[DownwardAPIVolumeFile DefaultMode:*i
DownwardAPIVolumeFile: Path:s FieldRef:*ObjectFieldSelector ResourceFieldRef:*ResourceFieldSelector Mode:*i
FCVolumeSource: TargetWWNs=targetWWNs:[s Lun:*i FSType=fsType:s ReadOnly:b WWIDs=wwids:[s
AzureFileVolumeSource: SecretName:s ShareName:s ReadOnly:b
ConfigMapVolumeSource: ^LocalObjectReference Items:[KeyToPath DefaultMode:*i Optional:*b
VsphereVirtualDiskVolumeSource: VolumePath:s FSType=fsType:s StoragePolicyName:s StoragePolicyID=storagePolicyID:s
AzureDiskVolumeSource: DiskName:s DataDiskURI=diskURI:s CachingMode:*s FSType=fsType:*s ReadOnly:*b Kind:*s
PhotonPersistentDiskVolumeSource: PdID=pdID:s FSType=fsType:s
ProjectedVolumeSource: Sources:[VolumeProjection DefaultMode:*i
VolumeProjection: Secret:*SecretProjection DownwardAPI=downwardAPI:*DownwardAPIProjection ConfigMap:*ConfigMapProjection ServiceAccountToken:*ServiceAccountTokenProjection ClusterTrustBundle:*ClusterTrustBundleProjection PodCertificate:*PodCertificateProjection
SecretProjection: ^LocalObjectReference Items:[KeyToPath Optional:*b
DownwardAPIProjection: Items:[DownwardAPIVolumeFile
ConfigMapProjection: ^LocalObjectReference Items:[KeyToPath Optional:*b
ServiceAccountTokenProjection: Audience:s ExpirationSeconds:i Path:s
ClusterTrustBundleProjection: Name:*s SignerName:*s LabelSelector:*ls Optional:*b Path:s
PodCertificateProjection: SignerName:s KeyType:s MaxExpirationSeconds:*i CredentialBundlePath:s KeyPath:s CertificateChainPath:s UserAnnotations:m
PortworxVolumeSource: VolumeID=volumeID:s FSType=fsType:s ReadOnly:b
ScaleIOVolumeSource: Gateway:s System:s SecretRef:*LocalObjectReference SSLEnabled=sslEnabled:b ProtectionDomain:s StoragePool:s StorageMode:s VolumeName:s FSType=fsType:s ReadOnly:b
StorageOSVolumeSource: VolumeName:s VolumeNamespace:s FSType=fsType:s ReadOnly:b SecretRef:*LocalObjectReference
CSIVolumeSource: Driver:s ReadOnly:*b FSType=fsType:*s VolumeAttributes:m NodePublishSecretRef:*LocalObjectReference
EphemeralVolumeSource: VolumeClaimTemplate:*PersistentVolumeClaimTemplate
PersistentVolumeClaimTemplate: metadata:om Spec:PersistentVolumeClaimSpec
PersistentVolumeClaimSpec: AccessModes:[s Selector:*ls Resources:VolumeResourceRequirements VolumeName:s StorageClassName:*s VolumeMode:*s DataSource:*TypedLocalObjectReference DataSourceRef:*TypedObjectReference VolumeAttributesClassName:*s
VolumeResourceRequirements: Limits:rl Requests:rl
TypedLocalObjectReference: APIGroup=apiGroup:*s Kind:s Name:s
TypedObjectReference: APIGroup=apiGroup:*s Kind:s Name:s Namespace:*s
ImageVolumeSource: Reference:s PullPolicy:s
"#;
