//! `retort serve`: the router, its handlers and the layers every response
//! goes through. Handlers are small: they check access, call the store on
//! a blocking thread and render.

use std::future::Future;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::model::{level_rank, Push, ServiceSummary};
use crate::store::{Store, StoreError};
use crate::{backstage, pages, token};

/// Largest push body accepted by default (a big monorepo's team + check JSON).
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024 * 1024;
const SEARCH_LIMIT: usize = 500;

/// The portal's own OpenAPI document, served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// No scripts at all; styles and images only from the portal itself.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Reads (pages and GET API) need a token too.
    pub read_token_required: bool,
    pub body_limit: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig { read_token_required: false, body_limit: DEFAULT_BODY_LIMIT }
    }
}

#[derive(Clone)]
struct AppState {
    store: Arc<dyn Store>,
}

/// A failed request: a status and a message (JSON for the API, a page otherwise).
#[derive(Debug)]
pub struct Failure {
    status: StatusCode,
    message: String,
}

impl Failure {
    fn new(status: StatusCode, message: impl Into<String>) -> Failure {
        Failure { status, message: message.into() }
    }
}

impl From<StoreError> for Failure {
    fn from(err: StoreError) -> Failure {
        // The details go to the operator's log, not to the client.
        eprintln!("error: store: {err}");
        Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error: the store failed (see the server log)")
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(json!({"error": self.message}))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Runs a store call on a blocking thread (both engines are synchronous).
async fn blocking<R: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&dyn Store) -> Result<R, StoreError> + Send + 'static,
) -> Result<R, Failure> {
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || work(&*store))
        .await
        .map_err(|_| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error"))?
        .map_err(Failure::from)
}

async fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), Failure> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| Failure::new(StatusCode::UNAUTHORIZED, "missing bearer token"))?
        .to_str()
        .ok()
        .and_then(token::bearer)
        .ok_or_else(|| Failure::new(StatusCode::UNAUTHORIZED, "malformed Authorization header (want `Bearer TOKEN`)"))?
        .to_string();
    let hashes = blocking(state, |store| store.token_hashes()).await?;
    if token::verify(&presented, &hashes) {
        Ok(())
    } else {
        Err(Failure::new(StatusCode::UNAUTHORIZED, "invalid token"))
    }
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn require_read_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match authorize(&state, request.headers()).await {
        Ok(()) => next.run(request).await,
        Err(failure) => failure.into_response(),
    }
}

/// The whole application: pages, JSON API, limits and headers.
pub fn router(store: Arc<dyn Store>, config: &ServerConfig) -> Router {
    let state = AppState { store };
    let mut reads = Router::new()
        .route("/", get(index_page))
        .route("/services/{name}", get(service_page))
        .route("/search", get(search_page))
        .route("/org", get(org_page))
        .route("/api/services", get(api_services))
        .route("/api/services/{name}", get(api_service))
        .route("/api/services/{name}/catalog-info.yaml", get(api_catalog_info))
        .route("/api/services/{name}/results/{tool}", get(api_latest_result))
        .route("/api/search", get(api_search))
        .route("/api/org/below", get(api_below))
        .route("/api/org/bus-factor", get(api_bus_factor))
        .route("/api/org/failing-rules", get(api_failing_rules));
    if config.read_token_required {
        reads = reads.layer(middleware::from_fn_with_state(state.clone(), require_read_token));
    }
    Router::new()
        .merge(reads)
        .route("/api/pushes", post(api_push))
        .route("/api/openapi.json", get(api_openapi))
        .route("/healthz", get(healthz))
        .route("/static/portal.css", get(stylesheet))
        .route("/favicon.svg", get(favicon))
        .route("/favicon.ico", get(favicon))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// Serves until `shutdown` resolves; requests in flight are finished.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<dyn Store>,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(store, &config)).with_graceful_shutdown(shutdown).await
}

fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

async fn index_page(State(state): State<AppState>) -> Result<Response, Failure> {
    let services = blocking(&state, |store| store.services()).await?;
    Ok(html(pages::index(&services)))
}

async fn service_page(State(state): State<AppState>, Path(name): Path<String>) -> Result<Response, Failure> {
    let lookup = name.clone();
    match blocking(&state, move |store| store.service(&lookup)).await? {
        Some(detail) => Ok(html(pages::service(&detail))),
        None => {
            Ok((StatusCode::NOT_FOUND, html(pages::not_found(&format!("No service named {name}.")))).into_response())
        }
    }
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn search_page(State(state): State<AppState>, Query(query): Query<SearchQuery>) -> Result<Response, Failure> {
    let q = query.q.clone();
    let hits = blocking(&state, move |store| store.search_routes(&q, SEARCH_LIMIT)).await?;
    Ok(html(pages::search(&query.q, &hits)))
}

#[derive(Deserialize)]
struct BelowQuery {
    category: Option<String>,
    level: Option<String>,
}

/// Services whose `category` level is below `level` (not checked counts as below).
fn below<'a>(services: &'a [ServiceSummary], category: &str, level: &str) -> Vec<&'a ServiceSummary> {
    let wanted = level_rank(level);
    services
        .iter()
        .filter(|s| s.levels.iter().find(|l| l.category == category).map(|l| l.rank).unwrap_or(-1) < wanted)
        .collect()
}

fn below_params(query: &BelowQuery) -> Result<(String, String), Failure> {
    let category = query.category.clone().unwrap_or_else(|| "security".into());
    let level = query.level.clone().unwrap_or_else(|| "silver".into());
    if !["bronze", "silver", "gold"].contains(&level.as_str()) {
        return Err(Failure::new(StatusCode::BAD_REQUEST, "level must be bronze, silver or gold"));
    }
    Ok((category, level))
}

async fn org_page(State(state): State<AppState>, Query(query): Query<BelowQuery>) -> Result<Response, Failure> {
    let (category, level) = below_params(&query)?;
    let (services, risks, rules) =
        blocking(&state, |store| Ok((store.services()?, store.bus_factor_one()?, store.failing_rules(20)?))).await?;
    let view = pages::OrgView {
        category: &category,
        level: &level,
        below: below(&services, &category, &level),
        risks: &risks,
        rules: &rules,
    };
    Ok(html(pages::organisation(&view)))
}

async fn api_services(State(state): State<AppState>) -> Result<Response, Failure> {
    Ok(Json(blocking(&state, |store| store.services()).await?).into_response())
}

async fn api_service(State(state): State<AppState>, Path(name): Path<String>) -> Result<Response, Failure> {
    match blocking(&state, move |store| store.service(&name)).await? {
        Some(detail) => Ok(Json(detail).into_response()),
        None => Err(Failure::new(StatusCode::NOT_FOUND, "no such service")),
    }
}

async fn api_latest_result(
    State(state): State<AppState>,
    Path((name, tool)): Path<(String, String)>,
) -> Result<Response, Failure> {
    if !crate::model::TOOLS.contains(&tool.as_str()) {
        return Err(Failure::new(StatusCode::NOT_FOUND, "unknown tool"));
    }
    match blocking(&state, move |store| store.latest_payload(&name, &tool)).await? {
        Some(payload) => Ok(([(header::CONTENT_TYPE, "application/json")], payload).into_response()),
        None => Err(Failure::new(StatusCode::NOT_FOUND, "no such result")),
    }
}

async fn api_catalog_info(State(state): State<AppState>, Path(name): Path<String>) -> Result<Response, Failure> {
    let found = blocking(&state, move |store| {
        let Some(detail) = store.service(&name)? else { return Ok(None) };
        let openapi = store.latest_payload(&name, "openapi")?;
        Ok(Some((detail, openapi)))
    })
    .await?;
    let Some((detail, openapi)) = found else { return Err(Failure::new(StatusCode::NOT_FOUND, "no such service")) };
    let openapi: Option<serde_json::Value> = openapi.and_then(|text| serde_json::from_str(&text).ok());
    let summary = &detail.summary;
    let yaml = backstage::export_catalog_info(
        &summary.name,
        summary.owner.as_deref(),
        summary.system.as_deref(),
        summary.last_commit.as_deref(),
        openapi.as_ref(),
    );
    Ok(([(header::CONTENT_TYPE, "application/yaml; charset=utf-8")], yaml).into_response())
}

async fn api_search(State(state): State<AppState>, Query(query): Query<SearchQuery>) -> Result<Response, Failure> {
    Ok(Json(blocking(&state, move |store| store.search_routes(&query.q, SEARCH_LIMIT)).await?).into_response())
}

async fn api_below(State(state): State<AppState>, Query(query): Query<BelowQuery>) -> Result<Response, Failure> {
    let (category, level) = below_params(&query)?;
    let services = blocking(&state, |store| store.services()).await?;
    let below: Vec<&ServiceSummary> = below(&services, &category, &level);
    Ok(Json(json!({"category": category, "level": level, "services": below})).into_response())
}

async fn api_bus_factor(State(state): State<AppState>) -> Result<Response, Failure> {
    Ok(Json(blocking(&state, |store| store.bus_factor_one()).await?).into_response())
}

async fn api_failing_rules(State(state): State<AppState>) -> Result<Response, Failure> {
    Ok(Json(blocking(&state, |store| store.failing_rules(50)).await?).into_response())
}

async fn api_push(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Response, Failure> {
    authorize(&state, &headers).await?;
    let push: Push = serde_json::from_slice(&body)
        .map_err(|e| Failure::new(StatusCode::BAD_REQUEST, format!("the body is not a push document: {e}")))?;
    push.validate().map_err(|e| Failure::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    let outcome = blocking(&state, move |store| store.push(&push, crate::now())).await?;
    let status = if !outcome.conflicts.is_empty() {
        StatusCode::CONFLICT
    } else if outcome.stored.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(outcome)).into_response())
}

async fn api_openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn healthz(State(state): State<AppState>) -> Result<Response, Failure> {
    let counts = blocking(&state, |store| store.counts()).await?;
    Ok(Json(json!({"status": "ok", "counts": counts})).into_response())
}

async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], pages::STYLESHEET).into_response()
}

async fn favicon() -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml")], pages::FAVICON).into_response()
}

async fn not_found(request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        Failure::new(StatusCode::NOT_FOUND, "no such endpoint").into_response()
    } else {
        (StatusCode::NOT_FOUND, html(pages::not_found("No such page."))).into_response()
    }
}
