//! Bad input never panics: random and mutated text through every parser
//! that sees user or server input (deterministic seeds, so failures
//! reproduce).

use retort_load::http1::{Capture, ChunkedDecoder, Http1Connection};
use retort_load::route::rule_to_template;
use retort_load::scenario::{Overrides, Plan, Scenario};
use retort_load::template::Template;
use retort_load::threshold::Threshold;
use retort_load::units::{parse_duration, parse_percent, parse_rate};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ALPHABET: &[u8] = b"0123456789abcdefxyzp.%<>=:/{}()[] \r\n\t;,-_HTTP/1.1 200OK\"'\\\xff\xc3";

fn random_text(rng: &mut fastrand::Rng, max: usize) -> Vec<u8> {
    let len = rng.usize(0..max);
    (0..len).map(|_| ALPHABET[rng.usize(0..ALPHABET.len())]).collect()
}

#[test]
fn text_parsers_never_panic() {
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..20_000 {
        let bytes = random_text(&mut rng, 40);
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_duration(&text);
        let _ = parse_rate(&text);
        let _ = parse_percent(&text);
        let _ = Threshold::parse(&text);
        let _ = rule_to_template(&text);
        let template = Template::parse(&text);
        let mut out = String::new();
        template.render_into(&mut out, &mut |_, out| out.push('x'));
    }
}

#[test]
fn scenario_parsing_never_panics() {
    let base = r#"
        model = "open"
        rate = "10/s"
        duration = "1s"
        thresholds = ["p95 < 1s"]
        [[stages]]
        duration = "1s"
        target = 5
        [[request]]
        name = "a"
        path = "/a/{x}"
        vars = { x = "1" }
        json = { k = "v" }
    "#;
    let mut rng = fastrand::Rng::with_seed(11);
    for _ in 0..3_000 {
        let mut bytes = base.as_bytes().to_vec();
        for _ in 0..rng.usize(1..6) {
            let at = rng.usize(0..bytes.len());
            match rng.u8(0..3) {
                0 => bytes[at] = ALPHABET[rng.usize(0..ALPHABET.len())],
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, ALPHABET[rng.usize(0..ALPHABET.len())]),
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(scenario) = toml::from_str::<Scenario>(&text) {
            let _ = Plan::build(scenario, Some("http://127.0.0.1:9"), Overrides::default());
        }
    }
}

#[test]
fn chunked_decoder_never_panics() {
    let mut rng = fastrand::Rng::with_seed(3);
    for _ in 0..20_000 {
        let mut decoder = ChunkedDecoder::default();
        let bytes = random_text(&mut rng, 64);
        for piece in bytes.chunks(rng.usize(1..8)) {
            if decoder.feed(piece).is_err() {
                break;
            }
        }
    }
}

#[tokio::test]
async fn random_responses_end_in_a_response_or_an_error() {
    let mut rng = fastrand::Rng::with_seed(5);
    let heads: [&[u8]; 4] = [
        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        b"HTTP/1.0 500 X\r\n\r\nbody",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No\r\n\r\n",
    ];
    let (mut statuses, mut errors) = (0, 0);
    for _ in 0..3_000 {
        let mut reply = heads[rng.usize(0..heads.len())].to_vec();
        for _ in 0..rng.usize(0..4) {
            let at = rng.usize(0..reply.len());
            reply[at] = ALPHABET[rng.usize(0..ALPHABET.len())];
        }
        let (client, mut server) = tokio::io::duplex(4096);
        // The server replies, reads the request, then closes: every read ends.
        let peer = tokio::spawn(async move {
            server.write_all(&reply).await.unwrap();
            let mut request = [0u8; 64];
            let _ = server.read(&mut request).await;
        });
        let mut connection = Http1Connection::new(client);
        // Capture on half of them: the session path must survive garbage too.
        let capture = Capture { headers: rng.bool(), body: rng.bool() };
        let outcome = connection.round_trip(b"GET / HTTP/1.1\r\n\r\n", false, capture).await;
        peer.await.unwrap();
        match outcome {
            Ok(response) => {
                statuses += 1;
                assert!(response.bytes > 0);
            }
            Err(_) => errors += 1,
        }
    }
    // Both outcomes occur, so the test exercises the parser, not only errors.
    assert!(statuses > 100 && errors > 100, "{statuses} responses, {errors} errors");
}
