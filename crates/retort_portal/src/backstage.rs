//! Backstage: read a service's identity from its `catalog-info.yaml`, and
//! export one (a Component, and an API entity carrying the OpenAPI
//! document from `retort openapi`).

use serde::Deserialize;
use serde_json::{json, Value as Json};

/// What the portal takes from an existing `catalog-info.yaml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CatalogIdentity {
    pub name: Option<String>,
    pub owner: Option<String>,
    pub system: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("catalog-info.yaml: {0}")]
pub struct CatalogError(String);

fn string_at(doc: &Json, path: &[&str]) -> Option<String> {
    let mut at = doc;
    for key in path {
        at = at.get(key)?;
    }
    at.as_str().map(str::to_string).filter(|s| !s.trim().is_empty())
}

/// The first `Component` entity of the file (or the first entity if none
/// is a Component): its `metadata.name`, `spec.owner`, `spec.system`.
pub fn read_catalog_info(text: &str) -> Result<CatalogIdentity, CatalogError> {
    let mut entities = Vec::new();
    for document in serde_norway::Deserializer::from_str(text) {
        let value = Json::deserialize(document).map_err(|e| CatalogError(e.to_string()))?;
        if !value.is_null() {
            entities.push(value);
        }
    }
    let entity = entities
        .iter()
        .find(|e| e.get("kind").and_then(Json::as_str) == Some("Component"))
        .or_else(|| entities.first())
        .ok_or_else(|| CatalogError("no entity".into()))?;
    Ok(CatalogIdentity {
        name: string_at(entity, &["metadata", "name"]),
        owner: string_at(entity, &["spec", "owner"]),
        system: string_at(entity, &["spec", "system"]),
    })
}

/// A Backstage entity name: `[a-zA-Z0-9]` separated by `-`, `_` or `.`, at most 63 characters.
pub fn entity_name(name: &str) -> String {
    let mut out: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' }).collect();
    out = out.trim_matches(|c: char| !c.is_ascii_alphanumeric()).to_string();
    out.truncate(63);
    let out = out.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()).to_string();
    if out.is_empty() {
        "unnamed-service".to_string()
    } else {
        out
    }
}

/// The `catalog-info.yaml` of a service: a Component and, when an OpenAPI
/// document was pushed, an API entity the Component provides.
pub fn export_catalog_info(
    name: &str,
    owner: Option<&str>,
    system: Option<&str>,
    commit: Option<&str>,
    openapi: Option<&Json>,
) -> String {
    let entity = entity_name(name);
    let owner = owner.unwrap_or("unknown");
    let mut component = json!({
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Component",
        "metadata": {
            "name": entity,
            "title": name,
            "annotations": {"retort.dev/commit": commit.unwrap_or("")},
        },
        "spec": {"type": "service", "lifecycle": "production", "owner": owner},
    });
    if let Some(system) = system {
        component["spec"]["system"] = json!(system);
    }
    let mut documents = vec![];
    if let Some(openapi) = openapi {
        let api_name = entity_name(&format!("{entity}-api"));
        component["spec"]["providesApis"] = json!([api_name]);
        let definition = serde_json::to_string_pretty(openapi).unwrap_or_default();
        let mut api = json!({
            "apiVersion": "backstage.io/v1alpha1",
            "kind": "API",
            "metadata": {"name": api_name, "title": format!("{name} API")},
            "spec": {"type": "openapi", "lifecycle": "production", "owner": owner, "definition": definition},
        });
        if let Some(system) = system {
            api["spec"]["system"] = json!(system);
        }
        documents.push(component);
        documents.push(api);
    } else {
        documents.push(component);
    }
    documents.iter().map(|d| serde_norway::to_string(d).unwrap_or_default()).collect::<Vec<_>>().join("---\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_component_of_a_multi_document_file() {
        let text = "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: shop-api\n---\n\
                    apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: shopfront\n\
                    spec:\n  owner: team-web\n  system: commerce\n";
        let identity = read_catalog_info(text).unwrap();
        assert_eq!(identity.name.as_deref(), Some("shopfront"));
        assert_eq!(identity.owner.as_deref(), Some("team-web"));
        assert_eq!(identity.system.as_deref(), Some("commerce"));
        assert!(read_catalog_info("a: [unclosed").is_err());
        assert!(read_catalog_info("").is_err());
    }

    #[test]
    fn export_round_trips_through_the_reader() {
        let openapi = json!({"openapi": "3.1.0", "paths": {"/x": {}}});
        let text = export_catalog_info("shop <1>", Some("team-web"), Some("commerce"), Some("abc"), Some(&openapi));
        let identity = read_catalog_info(&text).unwrap();
        assert_eq!(identity.name.as_deref(), Some("shop--1"));
        assert_eq!(identity.owner.as_deref(), Some("team-web"));
        let documents: Vec<Json> =
            serde_norway::Deserializer::from_str(&text).map(|d| Json::deserialize(d).unwrap()).collect();
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[1]["kind"], "API");
        let definition: Json = serde_json::from_str(documents[1]["spec"]["definition"].as_str().unwrap()).unwrap();
        assert_eq!(definition, openapi);
        assert_eq!(documents[0]["spec"]["providesApis"][0], "shop--1-api");
    }

    #[test]
    fn entity_names_are_valid() {
        assert_eq!(entity_name("Shop Front!"), "Shop-Front");
        assert_eq!(entity_name("<<>>"), "unnamed-service");
        assert_eq!(entity_name(&"a".repeat(100)).len(), 63);
    }
}
