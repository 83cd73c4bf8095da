//! `metadata.managedFields`: decoding entries into manager -> field set, encoding them back in
//! kube-apiserver's order, manager identities and the cap on `Update` entries.

use serde_json::{Map, Value, json};

use super::fieldset::FieldSet;

/// A manager identity: apply entries are keyed without apiVersion, update entries with it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ManagerId {
    pub manager: String,
    pub operation: String,
    pub api_version: String,
    pub subresource: String,
}

impl ManagerId {
    pub fn apply(manager: &str) -> Self {
        Self {
            manager: manager.into(),
            operation: "Apply".into(),
            api_version: String::new(),
            subresource: String::new(),
        }
    }
    pub fn update(manager: &str, operation: &str, api_version: &str, subresource: &str) -> Self {
        let api_version = if operation == "Apply" {
            String::new()
        } else {
            api_version.to_string()
        };
        Self {
            manager: manager.into(),
            operation: operation.into(),
            api_version,
            subresource: subresource.into(),
        }
    }
    pub fn is_apply(&self) -> bool {
        self.operation == "Apply"
    }

    /// `printManager`: `"name"`, `"name" with subresource "status"`, `"name" using v1`.
    pub fn describe(&self) -> String {
        let mut s = format!("{:?}", self.manager);
        if !self.subresource.is_empty() {
            s.push_str(&format!(" with subresource {:?}", self.subresource));
        }
        if self.operation == "Update" {
            s.push_str(&format!(" using {}", self.api_version));
        }
        s
    }
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub id: ManagerId,
    /// The apiVersion the set is expressed in.
    pub api_version: String,
    pub set: FieldSet,
    pub time: Option<String>,
}

/// All managers of an object.
#[derive(Clone, Debug, Default)]
pub struct Managed {
    pub entries: Vec<Entry>,
}

impl Managed {
    /// `DecodeManagedFields`; `None` when an entry is invalid.
    pub fn decode(list: Option<&Value>) -> Option<Managed> {
        let mut out = Managed::default();
        let Some(list) = list else { return Some(out) };
        if list.is_null() {
            return Some(out);
        }
        for e in list.as_array()? {
            let e = e.as_object()?;
            let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let operation = s("operation");
            if operation != "Apply" && operation != "Update" {
                return None;
            }
            let api_version = s("apiVersion");
            if api_version.is_empty() || s("fieldsType") != "FieldsV1" {
                return None;
            }
            let id = ManagerId::update(&s("manager"), &operation, &api_version, &s("subresource"));
            let set = e
                .get("fieldsV1")
                .map(FieldSet::from_json)
                .unwrap_or_default();
            let time = e.get("time").and_then(Value::as_str).map(str::to_string);
            out.entries.retain(|x| x.id != id);
            out.entries.push(Entry {
                id,
                api_version,
                set,
                time,
            });
        }
        Some(out)
    }

    pub fn get(&self, id: &ManagerId) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == *id)
    }

    pub fn get_mut(&mut self, id: &ManagerId) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.id == *id)
    }

    /// Sets a manager's field set, keeping its time.
    pub fn set(&mut self, id: &ManagerId, set: FieldSet, api_version: &str) {
        match self.get_mut(id) {
            Some(e) => {
                e.set = set;
                e.api_version = api_version.to_string();
            }
            None => self.entries.push(Entry {
                id: id.clone(),
                api_version: api_version.to_string(),
                set,
                time: None,
            }),
        }
    }

    pub fn remove_empty(&mut self) {
        self.entries.retain(|e| !e.set.is_empty());
    }

    pub fn union_all(&self) -> FieldSet {
        self.entries
            .iter()
            .fold(FieldSet::new(), |acc, e| acc.union(&e.set))
    }

    /// `capManagersManager`: at most `max` update entries; the oldest are merged into
    /// `ancient-changes` buckets per apiVersion.
    pub fn cap_update_managers(&mut self, max: usize) {
        let mut updaters: Vec<ManagerId> = self
            .entries
            .iter()
            .filter(|e| !e.id.is_apply())
            .map(|e| e.id.clone())
            .collect();
        if updaters.len() <= max {
            return;
        }
        let seconds = |m: &Managed, id: &ManagerId| {
            m.get(id).and_then(|e| e.time.clone()).unwrap_or_default()
        };
        updaters.sort_by(|a, b| {
            seconds(self, a)
                .cmp(&seconds(self, b))
                .then_with(|| a.cmp(b))
        });
        let mut first_of_version: Vec<(String, ManagerId)> = Vec::new();
        let mut length = updaters.len();
        for id in updaters {
            if length <= max {
                break;
            }
            let Some(entry) = self.get(&id).cloned() else {
                continue;
            };
            let bucket = ManagerId::update("ancient-changes", "Update", &entry.api_version, "");
            match first_of_version
                .iter()
                .find(|(v, _)| *v == entry.api_version)
            {
                Some((_, first)) => {
                    if self.get(&bucket).is_none()
                        && let Some(f) = self.get_mut(first)
                    {
                        f.id = bucket.clone();
                    }
                    if let Some(b) = self.get_mut(&bucket) {
                        b.set = entry.set.union(&b.set);
                        b.time = entry.time.clone();
                    }
                    self.entries.retain(|e| e.id != id);
                    length -= 1;
                }
                None => first_of_version.push((entry.api_version.clone(), id)),
            }
        }
    }

    /// The `managedFields` list, sorted by operation, time, manager, apiVersion, subresource.
    pub fn encode(&self) -> Option<Value> {
        let mut entries: Vec<&Entry> = self.entries.iter().filter(|e| !e.set.is_empty()).collect();
        if entries.is_empty() {
            return None;
        }
        entries.sort_by(|a, b| {
            a.id.operation
                .cmp(&b.id.operation)
                .then_with(|| {
                    a.time
                        .clone()
                        .unwrap_or_default()
                        .cmp(&b.time.clone().unwrap_or_default())
                })
                .then_with(|| a.id.manager.cmp(&b.id.manager))
                .then_with(|| a.api_version.cmp(&b.api_version))
                .then_with(|| a.id.subresource.cmp(&b.id.subresource))
        });
        let list = entries
            .into_iter()
            .map(|e| {
                let mut m = Map::new();
                m.insert("manager".into(), json!(e.id.manager));
                m.insert("operation".into(), json!(e.id.operation));
                m.insert("apiVersion".into(), json!(e.api_version));
                if let Some(t) = &e.time {
                    m.insert("time".into(), json!(t));
                }
                m.insert("fieldsType".into(), json!("FieldsV1"));
                m.insert("fieldsV1".into(), e.set.to_json());
                if !e.id.subresource.is_empty() {
                    m.insert("subresource".into(), json!(e.id.subresource));
                }
                Value::Object(m)
            })
            .collect();
        Some(Value::Array(list))
    }
}

/// Removes `metadata.managedFields` from a copy of the object.
pub fn without_managed_fields(obj: &Value) -> Value {
    let mut obj = obj.clone();
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.shift_remove("managedFields");
    }
    obj
}

/// Writes (or removes) `metadata.managedFields`.
pub fn store(obj: &mut Value, managed: &Managed) {
    let Some(root) = obj.as_object_mut() else {
        return;
    };
    let encoded = managed.encode();
    match (
        root.get_mut("metadata").and_then(Value::as_object_mut),
        encoded,
    ) {
        (Some(meta), Some(list)) => {
            meta.insert("managedFields".into(), list);
        }
        (Some(meta), None) => {
            meta.shift_remove("managedFields");
        }
        (None, Some(list)) => {
            let mut meta = Map::new();
            meta.insert("managedFields".into(), list);
            root.insert("metadata".into(), Value::Object(meta));
        }
        (None, None) => {}
    }
}
