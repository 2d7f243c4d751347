//! Access-log formats, gzip, stdin-like streams, and bad input.

use std::io::Write;

use retort_slo::accesslog::{for_each_line, Input, LogFormat, MAX_LINE_BYTES};

// 2026-12-06T10:00:00Z (date -u -d 2026-12-06T10:00:00Z +%s).
const T0_MS: i64 = 1_796_551_200_000;

#[test]
fn combined_and_common_lines() {
    let f = LogFormat::parse("auto", None).unwrap();
    let r = f
        .parse_line(r#"10.0.0.1 - bob [06/Dec/2026:11:00:00 +0100] "GET /items/7?page=2 HTTP/1.1" 503 12 "http://x/\"q\"" "curl/8""#)
        .unwrap();
    assert_eq!((r.time_ms, r.method, r.path, r.status, r.duration_us), (T0_MS, "GET", "/items/7", 503, None));
    let r =
        f.parse_line(r#"::1 - - [06/Dec/2026:10:00:00 +0000] "POST http://shop.example/cart HTTP/1.1" 201 -"#).unwrap();
    assert_eq!((r.method, r.path, r.status), ("POST", "/cart", 201));
    assert!(f.parse_line("garbage").is_err());
    assert!(f.parse_line(r#"h - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 999 1"#).is_err());
}

#[test]
fn gunicorn_custom_format_with_durations() {
    let format = r#"%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s"#;
    let f = LogFormat::parse(format, None).unwrap();
    let r = f
        .parse_line(r#"127.0.0.1 - - [06/Dec/2026:10:00:00 +0000] "GET /a/b?x=1 HTTP/1.1" 200 5 "-" "Mozilla/5.0 (X11; Linux)" 1234"#)
        .unwrap();
    assert_eq!((r.time_ms, r.path, r.status, r.duration_us), (T0_MS, "/a/b", 200, Some(1234)));
    let f = LogFormat::parse(r#"%(t)s %(m)s %(U)s %(s)s %(L)s"#, None).unwrap();
    let r = f.parse_line("[06/Dec/2026:10:00:00 +0000] PUT /x 204 0.250").unwrap();
    assert_eq!((r.method, r.path, r.duration_us), ("PUT", "/x", Some(250_000)));
    assert!(LogFormat::parse("%(h)s %(s)s", None).is_err(), "no timestamp must be refused");
}

#[test]
fn nginx_log_format_template() {
    let f = LogFormat::parse(
        r#"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time"#,
        None,
    )
    .unwrap();
    let r = f
        .parse_line(r#"1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /items/3 HTTP/1.1" 200 612 "-" "curl/8.0" 0.003"#)
        .unwrap();
    assert_eq!((r.time_ms, r.path, r.status, r.duration_us), (T0_MS, "/items/3", 200, Some(3000)));
    let f = LogFormat::parse("$time_iso8601 $request_method $uri $status $request_time", None).unwrap();
    let r = f.parse_line("2026-12-06T10:00:00+00:00 GET /x 500 1.5").unwrap();
    assert_eq!((r.time_ms, r.status, r.duration_us), (T0_MS, 500, Some(1_500_000)));
}

#[test]
fn json_lines_with_default_and_custom_fields() {
    let f = LogFormat::parse("json", None).unwrap();
    let r = f
        .parse_line(
            r#"{"time":"2026-12-06T10:00:00Z","method":"GET","path":"/items/1?x","status":200,"request_time":0.02}"#,
        )
        .unwrap();
    assert_eq!((r.time_ms, r.path, r.status, r.duration_us), (T0_MS, "/items/1", 200, Some(20_000)));
    let f = LogFormat::parse("json", Some("time=ts,path=url,status=code,duration=lat:ms,method=verb")).unwrap();
    let r = f.parse_line(r#"{"ts":1796551200.5,"verb":"DELETE","url":"/x","code":"404","lat":12}"#).unwrap();
    assert_eq!(
        (r.time_ms, r.method, r.path, r.status, r.duration_us),
        (T0_MS + 500, "DELETE", "/x", 404, Some(12_000))
    );
    assert!(f.parse_line(r#"{"ts":1,"url":"/x"}"#).is_err());
    assert!(LogFormat::parse("json", Some("colour=red")).is_err());
}

fn lines_of(input: &Input) -> (Vec<Option<String>>, Option<String>) {
    let mut out = Vec::new();
    let reader = input.open().unwrap();
    let err = for_each_line(reader, |l| out.push(l.map(|b| String::from_utf8_lossy(b).into_owned()))).err();
    (out, err.map(|e| e.to_string()))
}

#[test]
fn gzip_is_detected_by_magic_and_truncation_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text: String = (0..5000).map(|i| format!("line {i}\r\n")).collect();
    let gz = dir.path().join("access.log.1");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes()).unwrap();
    let bytes = enc.finish().unwrap();
    std::fs::write(&gz, &bytes).unwrap();
    let (lines, err) = lines_of(&Input::File(gz.clone()));
    assert_eq!(lines.len(), 5000);
    assert_eq!(lines[4999].as_deref(), Some("line 4999"));
    assert!(err.is_none());
    // Truncated: some lines, then an error, never a panic.
    std::fs::write(&gz, &bytes[..bytes.len() / 2]).unwrap();
    let (lines, err) = lines_of(&Input::File(gz));
    assert!(lines.len() < 5000, "{}", lines.len());
    assert!(err.is_some());
}

#[test]
fn overlong_lines_are_skipped_not_buffered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.log");
    let mut data = b"first\n".to_vec();
    data.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES * 5));
    data.extend(b"\nlast");
    std::fs::write(&path, data).unwrap();
    let (lines, _) = lines_of(&Input::File(path));
    assert_eq!(lines, vec![Some("first".to_string()), None, Some("last".to_string())]);
}
