//! Line parsers never panic: valid lines of every format, mutated byte by
//! byte (deterministic xorshift, no new dependency), and random bytes.

use retort_slo::accesslog::LogFormat;
use retort_slo::time::{parse_clf_time, parse_iso8601};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn mutated_lines_never_panic() {
    let cases: Vec<(LogFormat, &str)> = vec![
        (
            LogFormat::parse("auto", None).unwrap(),
            r#"1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /a/b?c=d HTTP/1.1" 200 12 "-" "x""#,
        ),
        (
            LogFormat::parse("json", None).unwrap(),
            r#"{"time":"2026-12-06T10:00:00.5+01:00","method":"GET","path":"/a","status":200,"request_time":0.1}"#,
        ),
        (
            LogFormat::parse(r#"%(h)s %(t)s "%(r)s" %(s)s %(D)s %({x-id}i)s"#, None).unwrap(),
            r#"1.2.3.4 [06/Dec/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 1234 abc"#,
        ),
        (
            LogFormat::parse(
                r#"$msec $request_method $request_uri $status $upstream_response_time $request_time"#,
                None,
            )
            .unwrap(),
            "1796551200.123 GET /a?b 502 0.001, 0.002 0.004",
        ),
    ];
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let mut parsed = 0;
    for (format, line) in &cases {
        assert!(format.parse_line(line).is_ok(), "{line}");
        for _ in 0..20_000 {
            let mut bytes = line.as_bytes().to_vec();
            for _ in 0..1 + rng.next() % 4 {
                let i = (rng.next() as usize) % bytes.len();
                match rng.next() % 3 {
                    0 => bytes[i] = rng.next() as u8,
                    1 => {
                        bytes.remove(i);
                    }
                    _ => bytes.insert(i, b"[]\"{}%:./ 0-+\\"[(rng.next() % 14) as usize]),
                }
                if bytes.is_empty() {
                    break;
                }
            }
            if let Ok(text) = std::str::from_utf8(&bytes) {
                if let Ok(r) = format.parse_line(text) {
                    parsed += 1;
                    assert!(text.contains(r.path), "the path is a slice of the line");
                }
                let _ = parse_clf_time(text);
                let _ = parse_iso8601(text);
            }
        }
    }
    assert!(parsed > 0);
}
