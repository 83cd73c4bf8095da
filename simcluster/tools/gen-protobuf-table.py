#!/usr/bin/env python3
"""Generates simcluster/src/protobuf/messages.json, the message table of the protobuf decoder
(simcluster/src/protobuf/), which embeds it with include_str!.

Sources, read at development time only (simcluster has no protobuf dependency):
  * k8s-pb 0.9.0 (prost code generated from the Kubernetes generated.proto files, v1.35): message
    names, field numbers and wire types, in Go declaration order;
  * k8s-openapi 0.29.0, module v1_36: the exact JSON property names of every definition (a proto
    field name matches exactly one property once case and punctuation are ignored: pod_i_ps /
    podIPs, x_kubernetes_list_type / x-kubernetes-list-type) and the group/version/kind of every
    resource. A message field matching no property is an embedded Go struct (inlined: all its
    fields match properties of the parent) or not a v1.36 field (dropped, reported);
  * POINTERS / KEEP below: which fields are Go pointers (a present zero value or empty object is
    kept). Most entries were confirmed by letting kubectl 1.37 (a Go client, which writes every
    non-pointer field even when zero and pointer fields only when set) encode objects in which
    every message field was present and no scalar was set (`kubectl debug --copy-to`,
    `kubectl create job --from=cronjob/...`, `kubectl certificate approve`, `kubectl auth
    reconcile` and the `kubectl create ...` generators against a stub server); the rest (marked
    `go`) come from the k8s.io/api Go types.

How to run (from the repository root):
  1. make sure both crates are in the cargo registry cache, e.g. with a throwaway crate:
       cargo new /tmp/fetch-k8s && cd /tmp/fetch-k8s && \
       cargo add k8s-pb@0.9 && cargo add k8s-openapi@0.29 --features v1_36 && cargo fetch
  2. python3 simcluster/tools/gen-protobuf-table.py           # rewrites messages.json
     python3 simcluster/tools/gen-protobuf-table.py --check   # only compares, exit 1 if stale
  It prints what it could not map: v1.36 properties that k8s-pb 0.9 has no field number for,
  proto fields that v1.36 no longer has, messages borrowed from a beta package.

Table format (messages.json, one message per line):
  {"kinds": {"<apiVersion>": {"<Kind>": "<message>"}},
   "messages": {"<message>": [[field number, "jsonName", "type", "flags"], ...]}}
  message names are "<package>.<Go name>" ("core.v1.Pod", "meta.v1.ObjectMeta"), fields in Go
  declaration order (the JSON order); type: "string" | "int32" | "int64" | "bool" | "bytes" |
  "double" | "<message>" | "map:<value type>"; flags: "r" repeated, "p" Go pointer (kept when
  zero or empty), "i" embedded struct (its fields go into the parent object; jsonName is "").
  Messages decoded by hand (Time, MicroTime, Duration, Quantity, IntOrString, RawExtension,
  FieldsV1, JSON, JSONSchemaPropsOr*, ExtraValue) are referenced but not listed.
"""
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'src', 'protobuf', 'messages.json')


def crate_dir(name):
    hits = sorted(glob.glob(os.path.expanduser('~/.cargo/registry/src/*/' + name)))
    if not hits:
        sys.exit('crate %s not found in ~/.cargo/registry/src (see the header of this script)' % name)
    return hits[-1]


PB = os.path.join(crate_dir('k8s-pb-0.9.0'), 'src')
OA = os.path.join(crate_dir('k8s-openapi-0.29.0'), 'src', 'v1_36')

# rust module dir of k8s-pb -> (short package name, OpenAPI definition prefix)
PACKAGES = {
    'apimachinery/pkg/apis/meta/v1': ('meta.v1', 'io.k8s.apimachinery.pkg.apis.meta.v1'),
    'apimachinery/pkg/runtime': ('runtime', 'io.k8s.apimachinery.pkg.runtime'),
    'apimachinery/pkg/util/intstr': ('intstr', 'io.k8s.apimachinery.pkg.util.intstr'),
    'apimachinery/pkg/api/resource': ('quantity', 'io.k8s.apimachinery.pkg.api.resource'),
    'apiextensions_apiserver/pkg/apis/apiextensions/v1':
        ('apiextensions.v1', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1'),
    'kube_aggregator/pkg/apis/apiregistration/v1':
        ('apiregistration.v1', 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1'),
}
for g in ['core/v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'networking/v1',
          'policy/v1', 'rbac/v1', 'storage/v1', 'coordination/v1', 'discovery/v1', 'events/v1',
          'scheduling/v1', 'node/v1', 'certificates/v1', 'admissionregistration/v1',
          'admissionregistration/v1beta1', 'flowcontrol/v1', 'resource/v1', 'authentication/v1',
          'authorization/v1']:
    PACKAGES['api/' + g] = (g.replace('/', '.'), 'io.k8s.api.' + g.replace('/', '.'))
# packages whose messages are only borrowed when a served v1 package lacks them (k8s-pb 0.9 is
# generated from Kubernetes 1.35; the promoted v1 types keep the protobuf tags of the beta ones)
BORROW = {'admissionregistration.v1': 'admissionregistration.v1beta1'}

SCALARS = {'string': 'string', 'int32': 'int32', 'int64': 'int64', 'bool': 'bool',
           'bytes = "vec"': 'bytes', 'double': 'double'}


def pkg_of_dir(d):
    return PACKAGES.get(d, (None, None))[0]


def resolve_type(rust_ty, moddir):
    """`super::super::X::Y` or `Y` relative to the module dir -> message name."""
    rust_ty = rust_ty.replace(' ', '').replace('\n', '').rstrip(',')
    m = re.search(r'Box<(.*)>$', rust_ty)
    if m:
        rust_ty = m.group(1)
    parts = rust_ty.split('::')
    base = moddir.split('/')
    while parts and parts[0] == 'super':
        base = base[:-1]
        parts = parts[1:]
    d = '/'.join(base + parts[:-1])
    pkg = pkg_of_dir(d)
    if pkg is None:
        raise SystemExit('unknown package dir %s for %s' % (d, rust_ty))
    return pkg + '.' + parts[-1]


def parse_pb():
    """-> {message: [(tag, rust_name, type, repeated, doc_first_word)]}"""
    msgs = {}
    for moddir, (pkg, _) in PACKAGES.items():
        text = open(os.path.join(PB, moddir, 'mod.rs')).read()
        for m in re.finditer(r'\npub struct (\w+) \{\n(.*?)\n\}', text, re.S):
            name, body = m.group(1), m.group(2)
            fields = []
            doc = []
            attr = None
            lines = body.split('\n')
            i = 0
            while i < len(lines):
                ln = lines[i].strip()
                i += 1
                if ln.startswith('///'):
                    doc.append(ln[3:].strip())
                    continue
                if ln.startswith('#[prost('):
                    attr = ln
                    while not attr.endswith(')]'):
                        attr += lines[i].strip()
                        i += 1
                    continue
                fm = re.match(r'pub (?:r#)?(\w+):\s*(.*)', ln)
                if fm:
                    decl = fm.group(2)
                    while not decl.endswith(',') or decl.count('<') != decl.count('>'):
                        decl += lines[i].strip()
                        i += 1
                    tag = int(re.search(r'tag = "(\d+)"', attr).group(1))
                    inner = attr[len('#[prost('):-2]
                    repeated = ', repeated' in inner
                    mm = re.match(r'btree_map = "string, (\w+)"', inner)
                    if mm:
                        vt = mm.group(1)
                        if vt == 'message':
                            vty = re.search(r'BTreeMap<.*?String,\s*(.*)>,$', decl).group(1)
                            ty = 'map:' + resolve_type(vty, moddir)
                        else:
                            ty = 'map:' + ('bytes' if vt == 'bytes' else vt)
                    elif inner.startswith('message'):
                        mt = re.search(r'(?:Option|Vec)<(.*)>,$', decl)
                        if not mt:
                            raise SystemExit('cannot parse field type: %s %s' % (name, decl))
                        inner_ty = mt.group(1)
                        ty = resolve_type(inner_ty, moddir)
                    else:
                        ty = None
                        for k, v in SCALARS.items():
                            if inner.startswith(k + ','):
                                ty = v
                        if ty is None:
                            raise SystemExit('unknown prost attribute ' + attr)
                    first = doc[0].split(' ')[0] if doc else ''
                    fields.append((tag, fm.group(1), ty, repeated, first))
                    doc = []
                    attr = None
            msgs[CANON.get(pkg + '.' + name, pkg + '.' + name)] = fields
        for m in re.finditer(r'\npub struct (\w+) \{\}', text):
            msgs[pkg + '.' + m.group(1)] = []
    for mn, fields in msgs.items():
        msgs[mn] = [(t, n, canon_type(ty), r, d) for (t, n, ty, r, d) in fields]
    return msgs


def canon_type(ty):
    if ty.startswith('map:'):
        return 'map:' + CANON.get(ty[4:], ty[4:])
    return CANON.get(ty, ty)


def parse_openapi():
    """-> ({definition: [json property]}, {apiVersion: {kind: definition}})"""
    defs, kinds = {}, {}
    for f in glob.glob(os.path.join(OA, '**', '*.rs'), recursive=True):
        text = open(f).read()
        sm = re.search(r'fn schema_name\(\) -> std::borrow::Cow<\'static, str> \{\s*"([^"]+)"', text)
        if not sm:
            continue
        dn = sm.group(1)
        dm = re.search(r'deserialize_struct\(\s*[^,]+,\s*&\[(.*?)\]', text, re.S)
        props = re.findall(r'"([^"]+)"', dm.group(1)) if dm else []
        if 'crate::Resource for' in text:
            av = re.search(r'const API_VERSION: &\'static str = "([^"]+)"', text).group(1)
            kind = re.search(r'const KIND: &\'static str = "([^"]+)"', text).group(1)
            kinds.setdefault(av, {})[kind] = dn
            for p in ('apiVersion', 'kind'):
                if p not in props:
                    props.append(p)
        defs[dn] = props
    return defs, kinds


def norm(s):
    return re.sub(r'[^a-z0-9]', '', s.lower())


def build(report):
    msgs = parse_pb()
    defs, kinds = parse_openapi()
    prefix = {v[0]: v[1] for v in PACKAGES.values()}
    defs_by_norm = {}
    for dn in defs:
        pkg, _, name = dn.rpartition('.')
        defs_by_norm[(pkg, name.lower())] = dn
    # message -> definition
    msg_def = {}
    for mn in msgs:
        pkg, _, name = mn.rpartition('.')
        dn = defs_by_norm.get((prefix[pkg], name.lower()))
        if dn:
            msg_def[mn] = dn
    # borrowed messages: definitions of a served package that its k8s-pb package lacks
    for dst, src in BORROW.items():
        for (dpkg, lname), dn in list(defs_by_norm.items()):
            if dpkg != prefix[dst]:
                continue
            if not any(m.rpartition('.')[0] == dst and m.rpartition('.')[2].lower() == lname for m in msgs):
                cand = [m for m in msgs if m.rpartition('.')[0] == src and m.rpartition('.')[2].lower() == lname]
                if cand:
                    newname = dst + '.' + cand[0].rpartition('.')[2]
                    msgs[newname] = [(t, n, re.sub('^' + re.escape(src) + r'\.', dst + '.', ty) if ty.startswith(src + '.') else ty, r, d)
                                     for (t, n, ty, r, d) in msgs[cand[0]]]
                    msg_def[newname] = dn
                    report.append('borrowed %s from %s' % (newname, cand[0]))
                    if cand[0] + 'List' in msgs:
                        msgs[newname + 'List'] = [(t, n, ty.replace(src + '.', dst + '.'), r, d)
                                                  for (t, n, ty, r, d) in msgs[cand[0] + 'List']]
    for dst, src in BORROW.items():
        for m in [m for m in msgs if m.startswith(src + '.')]:
            del msgs[m]
    # use the Go spelling of the definition (prost re-cased acronyms: IpBlock -> IPBlock)
    rename = {}
    for mn, dn in msg_def.items():
        pkg = mn.rpartition('.')[0]
        rename[mn] = pkg + '.' + dn.rpartition('.')[2]
    for mn in list(msgs):
        if mn.endswith('List') and mn[:-4] in rename:
            rename.setdefault(mn, rename[mn[:-4]] + 'List')

    def rn(ty):
        if ty.startswith('map:'):
            return 'map:' + rename.get(ty[4:], ty[4:])
        return rename.get(ty, ty)
    msgs = {rename.get(mn, mn): [(t, n, rn(ty), r, d) for (t, n, ty, r, d) in fields] for mn, fields in msgs.items()}
    msg_def = {rename.get(mn, mn): dn for mn, dn in msg_def.items()}
    return msgs, msg_def, defs, kinds


# messages with a JSON form of their own (decoded by hand in the Rust decoder)
SPECIAL = {
    'meta.v1.Time', 'meta.v1.MicroTime', 'meta.v1.Duration', 'meta.v1.FieldsV1',
    'runtime.RawExtension', 'intstr.IntOrString', 'quantity.Quantity',
    'apiextensions.v1.JSON', 'apiextensions.v1.JSONSchemaPropsOrArray',
    'apiextensions.v1.JSONSchemaPropsOrBool', 'apiextensions.v1.JSONSchemaPropsOrStringArray',
    'certificates.v1.ExtraValue', 'authentication.v1.ExtraValue', 'authorization.v1.ExtraValue',
}
# prost re-cased some message names: canonical (Go) spelling for the special ones
CANON = {'apiextensions.v1.Json': 'apiextensions.v1.JSON',
         'apiextensions.v1.JsonSchemaPropsOrArray': 'apiextensions.v1.JSONSchemaPropsOrArray',
         'apiextensions.v1.JsonSchemaPropsOrBool': 'apiextensions.v1.JSONSchemaPropsOrBool',
         'apiextensions.v1.JsonSchemaPropsOrStringArray': 'apiextensions.v1.JSONSchemaPropsOrStringArray'}


def map_fields(msgs, msg_def, defs, kinds, report):
    """-> {message: [[tag, json, type, flags, rust_name]]} for every message with a definition
    or inlined into one (special messages are decoded by hand and left out)."""
    out = {}
    inline_of = {}

    def json_props(mn):
        return defs.get(msg_def.get(mn, ''), [])

    # first pass: find inlined messages (a field with no JSON match whose message's fields all
    # match properties of the parent)
    def field_json(mn, f, props):
        tag, rname, ty, rep, first = f
        hits = [p for p in props if norm(p) == norm(rname)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise SystemExit('ambiguous %s.%s %s' % (mn, rname, hits))
        return None

    for mn in sorted(msgs):
        if mn in SPECIAL or mn not in msg_def:
            continue
        props = json_props(mn)
        used = set()
        rows = []
        for f in msgs[mn]:
            tag, rname, ty, rep, first = f
            j = field_json(mn, f, props)
            flags = 'r' if rep else ''
            if j is None and ty in msgs and not rep:
                # inline candidate: every field of ty (recursively inlined) maps into props
                sub = inline_names(ty, msgs, props)
                if sub is not None:
                    rows.append([tag, '', ty, flags + 'i', rname])
                    used.update(sub)
                    inline_of.setdefault(ty, set()).add(mn)
                    continue
            if j is None:
                # not a field of the v1.36 Go type: the real server skips it as an unknown tag
                report.append('dropped %s.%s (tag %d): not a v1.36 field' % (mn, rname, tag))
                continue
            used.add(j)
            rows.append([tag, j, ty, flags, rname])
        for p in props:
            if p not in used and p not in ('apiVersion', 'kind'):
                report.append('v1.36 property %s.%s has no protobuf field in k8s-pb 0.9' % (mn, p))
        out[mn] = rows
    # inlined messages: their fields take the JSON names of the parent's properties
    for ty, parents in inline_of.items():
        parent = sorted(parents)[0]
        props = json_props(parent)
        out[ty] = inline_rows(ty, msgs, props, out)
    return out


def inline_names(ty, msgs, props):
    names = []
    for tag, rname, fty, rep, first in msgs[ty]:
        hits = [p for p in props if norm(p) == norm(rname)]
        if len(hits) == 1:
            names.append(hits[0])
        elif fty in msgs and not rep:
            sub = inline_names(fty, msgs, props)
            if sub is None:
                return None
            names.extend(sub)
        else:
            return None
    return names


def inline_rows(ty, msgs, props, out):
    rows = []
    for tag, rname, fty, rep, first in msgs[ty]:
        hits = [p for p in props if norm(p) == norm(rname)]
        flags = 'r' if rep else ''
        if len(hits) == 1:
            rows.append([tag, hits[0], fty, flags, rname])
        else:
            rows.append([tag, '', fty, flags + 'i', rname])
            out[fty] = inline_rows(fty, msgs, props, out)
    return rows


def kind_table(msgs, msg_def, kinds):
    """apiVersion -> kind -> message, for the served group versions (with their List kinds)."""
    def_msg = {d: m for m, d in msg_def.items()}
    served = {pkg for pkg, _ in PACKAGES.values()} - set(BORROW.values())
    table = {}
    for av, by_kind in kinds.items():
        for kind, dn in by_kind.items():
            mn = def_msg.get(dn)
            if mn is None or mn.rpartition('.')[0] not in served or mn.startswith('meta.v1.'):
                continue
            table.setdefault(av, {})[kind] = mn
            lst = mn + 'List'
            if lst in msgs:
                table[av][kind + 'List'] = lst
    # DeleteOptions is accepted in every served group version (and meta.k8s.io/v1)
    for av in list(table) + ['meta.k8s.io/v1']:
        table.setdefault(av, {})['DeleteOptions'] = 'meta.v1.DeleteOptions'
    return table


def list_rows(mn, msgs):
    """XList messages: metadata (ListMeta) and items."""
    return [[t, {'metadata': 'metadata', 'items': 'items'}[n], ty, 'r' if r else '', n]
            for (t, n, ty, r, _) in msgs[mn]]


def reachable(roots, rows):
    seen = set()
    todo = list(roots)
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        for row in rows.get(m, []):
            ty = row[2][4:] if row[2].startswith('map:') else row[2]
            if '.' in ty:
                todo.append(ty)
    return seen


def generate(report):
    msgs, msg_def, defs, kinds = build(report)
    rows = map_fields(msgs, msg_def, defs, kinds, report)
    table = kind_table(msgs, msg_def, kinds)
    for by_kind in table.values():
        for kind, mn in by_kind.items():
            if kind.endswith('List') and mn not in rows:
                rows[mn] = list_rows(mn, msgs)
    roots = {mn for by_kind in table.values() for mn in by_kind.values()}
    keep = reachable(roots, rows)
    messages = {}
    for mn in sorted(keep):
        if mn in SPECIAL:
            continue
        if mn not in rows:
            raise SystemExit('no rows for reachable message ' + mn)
        out = []
        for tag, j, ty, flags, rname in rows[mn]:  # Go declaration order = JSON order
            if 'i' not in flags and 'r' not in flags and not ty.startswith('map:') and is_pointer(mn, j, ty):
                flags += 'p'
            out.append([tag, j, ty, flags])
        messages[mn] = out
    check_pointer_table(messages, report)
    return {'kinds': {av: dict(sorted(k.items())) for av, k in sorted(table.items())}, 'messages': messages}


# Go pointer fields (and the few non-pointer ones whose zero value or empty object is kept),
# per message; every other singular field is a non-pointer one. Entries without a mark were
# confirmed by encoding objects with kubectl 1.37 (a Go client: it writes non-pointer fields even
# when zero and pointer fields only when set); entries marked `go` come from the k8s.io/api Go
# types (`*T` fields), `go+` were partly confirmed by such captures.
POINTERS = {
    'admissionregistration.v1.MatchResources': 'namespaceSelector objectSelector matchPolicy',  # go
    'admissionregistration.v1.MutatingAdmissionPolicyBindingSpec': 'paramRef matchResources',  # go
    'admissionregistration.v1.MutatingAdmissionPolicySpec': (  # go
        'paramKind matchConstraints failurePolicy'),
    'admissionregistration.v1.MutatingWebhook': (  # go
        'failurePolicy namespaceSelector sideEffects timeoutSeconds matchPolicy '
        'reinvocationPolicy objectSelector'),
    'admissionregistration.v1.Mutation': 'applyConfiguration jsonPatch',  # go
    'admissionregistration.v1.ParamRef': 'selector parameterNotFoundAction',  # go
    'admissionregistration.v1.Rule': 'scope',  # go
    'admissionregistration.v1.ServiceReference': 'path port',  # go
    'admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec': (  # go
        'paramRef matchResources'),
    'admissionregistration.v1.ValidatingAdmissionPolicySpec': (  # go
        'paramKind matchConstraints failurePolicy'),
    'admissionregistration.v1.ValidatingAdmissionPolicyStatus': 'typeChecking',  # go
    'admissionregistration.v1.ValidatingWebhook': (  # go
        'failurePolicy namespaceSelector sideEffects timeoutSeconds matchPolicy objectSelector'),
    'admissionregistration.v1.Validation': 'reason',  # go
    'admissionregistration.v1.WebhookClientConfig': 'service url',  # go
    'apiextensions.v1.CustomResourceConversion': 'webhook',  # go
    'apiextensions.v1.CustomResourceDefinitionSpec': 'conversion',  # go
    'apiextensions.v1.CustomResourceDefinitionVersion': (  # go
        'schema subresources deprecationWarning'),
    'apiextensions.v1.CustomResourceSubresourceScale': 'labelSelectorPath',  # go
    'apiextensions.v1.CustomResourceSubresources': 'status scale',  # go
    'apiextensions.v1.CustomResourceValidation': 'openAPIV3Schema',  # go
    'apiextensions.v1.JSONSchemaProps': (  # go
        '$ref default maximum minimum maxLength minLength maxItems minItems multipleOf '
        'maxProperties minProperties items not additionalProperties additionalItems externalDocs '
        'example x-kubernetes-preserve-unknown-fields x-kubernetes-list-type '
        'x-kubernetes-map-type'),
    'apiextensions.v1.ServiceReference': 'path port',  # go
    'apiextensions.v1.ValidationRule': 'reason optionalOldSelf',  # go
    'apiextensions.v1.WebhookClientConfig': 'service url',  # go
    'apiextensions.v1.WebhookConversion': 'clientConfig',  # go
    'apiregistration.v1.APIServiceSpec': 'service',  # go
    'apiregistration.v1.ServiceReference': 'port',  # go
    'apps.v1.DaemonSetSpec': 'selector revisionHistoryLimit',  # go
    'apps.v1.DaemonSetStatus': 'collisionCount',  # go
    'apps.v1.DaemonSetUpdateStrategy': 'rollingUpdate',  # go
    'apps.v1.DeploymentSpec': (  # go+
        'replicas selector revisionHistoryLimit progressDeadlineSeconds'),
    'apps.v1.DeploymentStatus': 'collisionCount terminatingReplicas',
    'apps.v1.DeploymentStrategy': 'rollingUpdate',  # go
    'apps.v1.ReplicaSetSpec': 'replicas selector',  # go
    'apps.v1.ReplicaSetStatus': 'terminatingReplicas',  # go
    'apps.v1.RollingUpdateDaemonSet': 'maxUnavailable maxSurge',  # go
    'apps.v1.RollingUpdateDeployment': 'maxUnavailable maxSurge',  # go
    'apps.v1.RollingUpdateStatefulSetStrategy': 'partition maxUnavailable',  # go
    'apps.v1.StatefulSetSpec': (  # go
        'replicas selector revisionHistoryLimit persistentVolumeClaimRetentionPolicy ordinals'),
    'apps.v1.StatefulSetStatus': 'collisionCount',  # go
    'apps.v1.StatefulSetUpdateStrategy': 'rollingUpdate',  # go
    'authentication.v1.TokenRequestSpec': 'boundObjectRef expirationSeconds',  # go+
    'authorization.v1.ResourceAttributes': 'fieldSelector labelSelector',  # go
    'authorization.v1.SelfSubjectAccessReviewSpec': (  # go
        'resourceAttributes nonResourceAttributes'),
    'authorization.v1.SubjectAccessReviewSpec': 'resourceAttributes nonResourceAttributes',  # go
    'autoscaling.v1.HorizontalPodAutoscalerSpec': 'minReplicas targetCPUUtilizationPercentage',
    'autoscaling.v1.HorizontalPodAutoscalerStatus': (
        'observedGeneration lastScaleTime currentCPUUtilizationPercentage'),
    'autoscaling.v2.HPAScalingRules': 'selectPolicy stabilizationWindowSeconds tolerance',  # go
    'autoscaling.v2.HorizontalPodAutoscalerBehavior': 'scaleUp scaleDown',  # go
    'autoscaling.v2.HorizontalPodAutoscalerSpec': 'minReplicas behavior',  # go+
    'autoscaling.v2.HorizontalPodAutoscalerStatus': 'observedGeneration lastScaleTime',
    'autoscaling.v2.MetricIdentifier': 'selector',  # go
    'autoscaling.v2.MetricSpec': 'object pods resource external containerResource',  # go
    'autoscaling.v2.MetricStatus': 'object pods resource external containerResource',  # go
    'autoscaling.v2.MetricTarget': 'value averageValue averageUtilization',
    'autoscaling.v2.MetricValueStatus': 'value averageValue averageUtilization',  # go
    'batch.v1.CronJobSpec': (
        'startingDeadlineSeconds suspend successfulJobsHistoryLimit failedJobsHistoryLimit '
        'timeZone'),
    'batch.v1.CronJobStatus': 'lastScheduleTime lastSuccessfulTime',
    'batch.v1.JobSpec': (
        'parallelism completions activeDeadlineSeconds selector manualSelector backoffLimit '
        'ttlSecondsAfterFinished completionMode suspend podFailurePolicy backoffLimitPerIndex '
        'maxFailedIndexes podReplacementPolicy managedBy successPolicy'),
    'batch.v1.JobStatus': (  # go
        'startTime completionTime uncountedTerminatedPods ready failedIndexes terminating'),
    'batch.v1.PodFailurePolicyOnExitCodesRequirement': 'containerName',
    'batch.v1.PodFailurePolicyRule': 'onExitCodes',
    'batch.v1.SuccessPolicyRule': 'succeededIndexes succeededCount',
    'certificates.v1.CertificateSigningRequestSpec': 'expirationSeconds',
    'coordination.v1.LeaseSpec': (  # go
        'holderIdentity leaseDurationSeconds acquireTime renewTime leaseTransitions strategy '
        'preferredHolder'),
    'core.v1.Affinity': 'nodeAffinity podAffinity podAntiAffinity',
    'core.v1.AppArmorProfile': 'localhostProfile',
    'core.v1.AzureDiskVolumeSource': 'cachingMode fsType readOnly kind',
    'core.v1.AzureFilePersistentVolumeSource': 'secretNamespace',  # go
    'core.v1.CSIPersistentVolumeSource': (  # go
        'controllerPublishSecretRef nodeStageSecretRef nodePublishSecretRef '
        'controllerExpandSecretRef nodeExpandSecretRef'),
    'core.v1.CSIVolumeSource': 'readOnly fsType nodePublishSecretRef',
    'core.v1.CephFSPersistentVolumeSource': 'secretRef',  # go
    'core.v1.CephFSVolumeSource': 'secretRef',
    'core.v1.CinderPersistentVolumeSource': 'secretRef',  # go
    'core.v1.CinderVolumeSource': 'secretRef',
    'core.v1.ClientIPConfig': 'timeoutSeconds',  # go
    'core.v1.ClusterTrustBundleProjection': 'name signerName labelSelector optional',
    'core.v1.ConfigMap': 'immutable',
    'core.v1.ConfigMapEnvSource': 'optional',
    'core.v1.ConfigMapKeySelector': 'optional',
    'core.v1.ConfigMapProjection': 'optional',
    'core.v1.ConfigMapVolumeSource': 'defaultMode optional',
    'core.v1.Container': (
        'livenessProbe readinessProbe lifecycle securityContext startupProbe restartPolicy'),
    'core.v1.ContainerRestartRule': 'exitCodes',
    'core.v1.ContainerState': 'waiting running terminated',  # go
    'core.v1.ContainerStatus': 'started resources user stopSignal',  # go
    'core.v1.ContainerUser': 'linux',  # go
    'core.v1.DownwardAPIVolumeFile': 'fieldRef resourceFieldRef mode',
    'core.v1.DownwardAPIVolumeSource': 'defaultMode',
    'core.v1.EmptyDirVolumeSource': 'sizeLimit',
    'core.v1.EndpointAddress': 'targetRef nodeName',  # go
    'core.v1.EndpointPort': 'appProtocol',  # go
    'core.v1.EnvFromSource': 'configMapRef secretRef',
    'core.v1.EnvVar': 'valueFrom',
    'core.v1.EnvVarSource': 'fieldRef resourceFieldRef configMapKeyRef secretKeyRef fileKeyRef',
    'core.v1.EphemeralContainerCommon': (
        'livenessProbe readinessProbe lifecycle securityContext startupProbe restartPolicy'),
    'core.v1.EphemeralVolumeSource': 'volumeClaimTemplate',
    'core.v1.Event': 'series related',  # go
    'core.v1.FCVolumeSource': 'lun',
    'core.v1.FileKeySelector': 'optional',
    'core.v1.FlexPersistentVolumeSource': 'secretRef',  # go
    'core.v1.FlexVolumeSource': 'secretRef',
    'core.v1.GRPCAction': 'service',
    'core.v1.GlusterfsPersistentVolumeSource': 'endpointsNamespace',  # go
    'core.v1.HostPathVolumeSource': 'type',
    'core.v1.ISCSIPersistentVolumeSource': 'secretRef initiatorName',  # go
    'core.v1.ISCSIVolumeSource': 'secretRef initiatorName',
    'core.v1.KeyToPath': 'mode',
    'core.v1.Lifecycle': 'postStart preStop stopSignal',
    'core.v1.LifecycleHandler': 'exec httpGet tcpSocket sleep',
    'core.v1.LoadBalancerIngress': 'ipMode',  # go
    'core.v1.LocalVolumeSource': 'fsType',  # go
    'core.v1.NodeAffinity': 'requiredDuringSchedulingIgnoredDuringExecution',
    'core.v1.NodeConfigSource': 'configMap',  # go
    'core.v1.NodeConfigStatus': 'assigned active lastKnownGood',  # go
    'core.v1.NodeFeatures': 'supplementalGroupsPolicy',  # go
    'core.v1.NodeRuntimeHandler': 'features',  # go
    'core.v1.NodeRuntimeHandlerFeatures': 'recursiveReadOnlyMounts userNamespaces',  # go
    'core.v1.NodeSpec': 'configSource',  # go
    'core.v1.NodeStatus': 'config features',  # go
    'core.v1.NodeSwapStatus': 'capacity',  # go
    'core.v1.NodeSystemInfo': 'swap',  # go
    'core.v1.PersistentVolumeClaimSpec': (
        'selector storageClassName volumeMode dataSource dataSourceRef volumeAttributesClassName'),
    'core.v1.PersistentVolumeClaimStatus': (  # go
        'currentVolumeAttributesClassName modifyVolumeStatus'),
    'core.v1.PersistentVolumeSource': (  # go
        'gcePersistentDisk awsElasticBlockStore hostPath glusterfs nfs rbd iscsi cinder cephfs fc '
        'flocker flexVolume azureFile vsphereVolume quobyte azureDisk photonPersistentDisk '
        'portworxVolume scaleIO local storageos csi'),
    'core.v1.PersistentVolumeSpec': (  # go
        'claimRef volumeMode nodeAffinity volumeAttributesClassName'),
    'core.v1.PersistentVolumeStatus': 'lastPhaseTransitionTime',  # go
    'core.v1.PodAffinityTerm': 'labelSelector namespaceSelector',
    'core.v1.PodCertificateProjection': 'maxExpirationSeconds',
    'core.v1.PodDNSConfigOption': 'value',
    'core.v1.PodResourceClaim': 'resourceClaimName resourceClaimTemplateName',
    'core.v1.PodResourceClaimStatus': 'resourceClaimName',  # go
    'core.v1.PodSecurityContext': (
        'seLinuxOptions runAsUser runAsNonRoot fsGroup runAsGroup windowsOptions '
        'fsGroupChangePolicy seccompProfile appArmorProfile supplementalGroupsPolicy '
        'seLinuxChangePolicy'),
    'core.v1.PodSpec': (
        'terminationGracePeriodSeconds activeDeadlineSeconds securityContext affinity '
        'automountServiceAccountToken priority dnsConfig shareProcessNamespace runtimeClassName '
        'enableServiceLinks preemptionPolicy setHostnameAsFQDN os hostUsers resources '
        'hostnameOverride'),
    'core.v1.PodStatus': 'startTime extendedResourceClaimStatus resources',
    'core.v1.PortStatus': 'error',  # go
    'core.v1.Probe': 'terminationGracePeriodSeconds',
    'core.v1.ProbeHandler': 'exec httpGet tcpSocket grpc',
    'core.v1.ProjectedVolumeSource': 'defaultMode',
    'core.v1.RBDPersistentVolumeSource': 'secretRef',  # go
    'core.v1.RBDVolumeSource': 'secretRef',
    'core.v1.ReplicationControllerSpec': 'replicas template',  # go
    'core.v1.ResourceQuotaSpec': 'scopeSelector',  # go
    'core.v1.ScaleIOPersistentVolumeSource': 'secretRef',  # go
    'core.v1.ScaleIOVolumeSource': 'secretRef',
    'core.v1.SeccompProfile': 'localhostProfile',
    'core.v1.Secret': 'immutable',
    'core.v1.SecretEnvSource': 'optional',
    'core.v1.SecretKeySelector': 'optional',
    'core.v1.SecretProjection': 'optional',
    'core.v1.SecretVolumeSource': 'defaultMode optional',
    'core.v1.SecurityContext': (
        'capabilities privileged seLinuxOptions runAsUser runAsNonRoot readOnlyRootFilesystem '
        'allowPrivilegeEscalation runAsGroup procMount windowsOptions seccompProfile '
        'appArmorProfile'),
    'core.v1.ServiceAccount': 'automountServiceAccountToken',
    'core.v1.ServiceAccountTokenProjection': 'expirationSeconds',
    'core.v1.ServicePort': 'appProtocol',
    'core.v1.ServiceSpec': (  # go+
        'sessionAffinityConfig ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass '
        'internalTrafficPolicy trafficDistribution'),
    'core.v1.SessionAffinityConfig': 'clientIP',  # go
    'core.v1.StorageOSPersistentVolumeSource': 'secretRef',  # go
    'core.v1.StorageOSVolumeSource': 'secretRef',
    'core.v1.Taint': 'timeAdded',  # go
    'core.v1.Toleration': 'tolerationSeconds',
    'core.v1.TopologySpreadConstraint': (
        'labelSelector minDomains nodeAffinityPolicy nodeTaintsPolicy'),
    'core.v1.TypedLocalObjectReference': 'apiGroup',
    'core.v1.TypedObjectReference': 'apiGroup namespace',
    'core.v1.VolumeMount': 'mountPropagation recursiveReadOnly',
    'core.v1.VolumeMountStatus': 'recursiveReadOnly',  # go
    'core.v1.VolumeNodeAffinity': 'required',  # go
    'core.v1.VolumeProjection': (
        'secret downwardAPI configMap serviceAccountToken clusterTrustBundle podCertificate'),
    'core.v1.VolumeSource': (
        'hostPath emptyDir gcePersistentDisk awsElasticBlockStore gitRepo secret nfs iscsi '
        'glusterfs persistentVolumeClaim rbd flexVolume cinder cephfs flocker downwardAPI fc '
        'azureFile configMap vsphereVolume quobyte azureDisk photonPersistentDisk portworxVolume '
        'scaleIO projected storageos csi ephemeral image'),
    'core.v1.WindowsSecurityContextOptions': (
        'gmsaCredentialSpecName gmsaCredentialSpec runAsUserName hostProcess'),
    'discovery.v1.Endpoint': 'hostname targetRef nodeName zone hints',  # go
    'discovery.v1.EndpointConditions': 'ready serving terminating',  # go
    'discovery.v1.EndpointPort': 'name protocol port appProtocol',  # go
    'events.v1.Event': 'series related',  # go
    'flowcontrol.v1.ExemptPriorityLevelConfiguration': (  # go
        'nominalConcurrencyShares lendablePercent'),
    'flowcontrol.v1.FlowSchemaSpec': 'distinguisherMethod',  # go
    'flowcontrol.v1.LimitResponse': 'queuing',  # go
    'flowcontrol.v1.LimitedPriorityLevelConfiguration': (  # go
        'nominalConcurrencyShares lendablePercent borrowingLimitPercent'),
    'flowcontrol.v1.PriorityLevelConfigurationSpec': 'limited exempt',  # go
    'flowcontrol.v1.Subject': 'user group serviceAccount',  # go
    'meta.v1.DeleteOptions': (  # go
        'gracePeriodSeconds preconditions orphanDependents propagationPolicy '
        'ignoreStoreReadErrorWithClusterBreakingPotential'),
    'meta.v1.ListMeta': 'remainingItemCount',  # go
    'meta.v1.ManagedFieldsEntry': 'time fieldsV1',
    'meta.v1.ObjectMeta': 'deletionTimestamp deletionGracePeriodSeconds',
    'meta.v1.OwnerReference': 'controller blockOwnerDeletion',
    'meta.v1.Preconditions': 'uid resourceVersion',  # go
    'networking.v1.HTTPIngressPath': 'pathType',
    'networking.v1.IPAddressSpec': 'parentRef',  # go
    'networking.v1.IngressBackend': 'resource service',  # go
    'networking.v1.IngressClassParametersReference': 'apiGroup scope namespace',  # go
    'networking.v1.IngressClassSpec': 'parameters',  # go
    'networking.v1.IngressPortStatus': 'error',  # go
    'networking.v1.IngressRuleValue': 'http',  # go
    'networking.v1.IngressSpec': 'defaultBackend ingressClassName',  # go+
    'networking.v1.NetworkPolicyPeer': 'podSelector namespaceSelector ipBlock',  # go
    'networking.v1.NetworkPolicyPort': 'protocol port endPort',  # go
    'node.v1.RuntimeClass': 'overhead scheduling',  # go
    'policy.v1.Eviction': 'deleteOptions',  # go
    'policy.v1.PodDisruptionBudgetSpec': (  # go+
        'minAvailable selector maxUnavailable unhealthyPodEvictionPolicy'),
    'rbac.v1.ClusterRole': 'aggregationRule',
    'resource.v1.AllocatedDeviceStatus': 'data networkData shareID',  # go
    'resource.v1.AllocationResult': 'nodeSelector allocationTimestamp',  # go
    'resource.v1.CapacityRequestPolicy': 'default validRange',  # go
    'resource.v1.CapacityRequestPolicyRange': 'min max step',  # go
    'resource.v1.Device': (  # go
        'nodeName nodeSelector allNodes bindsToNode allowMultipleAllocations'),
    'resource.v1.DeviceAttribute': 'int bool string version',  # go
    'resource.v1.DeviceCapacity': 'requestPolicy',  # go
    'resource.v1.DeviceClassSpec': 'extendedResourceName',  # go
    'resource.v1.DeviceConfiguration': 'opaque',  # go
    'resource.v1.DeviceConstraint': 'matchAttribute distinctAttribute',  # go
    'resource.v1.DeviceRequest': 'exactly',  # go
    'resource.v1.DeviceRequestAllocationResult': 'adminAccess shareID',  # go
    'resource.v1.DeviceSelector': 'cel',  # go
    'resource.v1.DeviceSubRequest': 'capacity',  # go
    'resource.v1.DeviceTaint': 'timeAdded',  # go
    'resource.v1.DeviceToleration': 'tolerationSeconds',  # go
    'resource.v1.ExactDeviceRequest': 'adminAccess capacity',  # go
    'resource.v1.ResourceClaimStatus': 'allocation',  # go
    'resource.v1.ResourceSliceSpec': 'nodeName nodeSelector allNodes perDeviceNodeSelection',  # go
    'scheduling.v1.PriorityClass': 'preemptionPolicy',
    'storage.v1.CSIDriverSpec': (  # go
        'attachRequired podInfoOnMount storageCapacity fsGroupPolicy requiresRepublish '
        'seLinuxMount nodeAllocatableUpdatePeriodSeconds serviceAccountTokenInSecrets'),
    'storage.v1.CSINodeDriver': 'allocatable',  # go
    'storage.v1.CSIStorageCapacity': 'nodeTopology capacity maximumVolumeSize',  # go
    'storage.v1.StorageClass': 'reclaimPolicy allowVolumeExpansion volumeBindingMode',  # go
    'storage.v1.TokenRequest': 'expirationSeconds',  # go
    'storage.v1.VolumeAttachmentSource': 'persistentVolumeName inlineVolumeSpec',  # go
    'storage.v1.VolumeAttachmentStatus': 'attachError detachError',  # go
    'storage.v1.VolumeError': 'errorCode',  # go
    'storage.v1.VolumeNodeResources': 'count',  # go
}

# non-pointer fields kept like pointer ones: the real server shows them even when empty/zero
KEEP = {
    'core.v1.Container': 'resources',  # `resources: {}` in every container the server returns
    'core.v1.EphemeralContainerCommon': 'resources',
    'networking.v1.NetworkPolicySpec': 'podSelector',  # `podSelector: {}` selects all pods
    'autoscaling.v1.ScaleSpec': 'replicas',  # scaling to 0: keep `replicas: 0` explicit
}


def is_pointer(mn, j, ty):
    return j in POINTERS.get(mn, '').split() or j in KEEP.get(mn, '').split()


def check_pointer_table(messages, report):
    for table in (POINTERS, KEEP):
        for mn, names in table.items():
            rows = messages.get(mn)
            if rows is None:
                report.append('pointer table: unknown message ' + mn)
                continue
            for j in names.split():
                if not any(r[1] == j for r in rows):
                    report.append('pointer table: unknown field %s.%s' % (mn, j))


def dump(doc):
    """One message per line: small diffs, readable."""
    lines = ['{"kinds": {']
    kinds = list(doc['kinds'].items())
    for i, (av, by_kind) in enumerate(kinds):
        lines.append('  %s: %s%s' % (json.dumps(av), json.dumps(by_kind), ',' if i + 1 < len(kinds) else ''))
    lines.append('}, "messages": {')
    msgs = list(doc['messages'].items())
    for i, (mn, rows) in enumerate(msgs):
        lines.append('  %s: %s%s' % (json.dumps(mn), json.dumps(rows, separators=(',', ':')), ',' if i + 1 < len(msgs) else ''))
    lines.append('}}')
    return '\n'.join(lines) + '\n'


def main():
    report = []
    text = dump(generate(report))
    for r in report:
        print(r)
    if '--check' in sys.argv:
        same = os.path.exists(OUT) and open(OUT).read() == text
        print('up to date' if same else 'OUT OF DATE: ' + OUT)
        sys.exit(0 if same else 1)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    open(OUT, 'w').write(text)
    print('wrote %s (%d bytes)' % (os.path.normpath(OUT), len(text)))


if __name__ == '__main__':
    main()
