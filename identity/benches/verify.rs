//! ID-token verification cost with a cached key set (issue 11's closing numbers):
//! RS256 (2048-bit), ES256 and EdDSA, signature + every claim check + claims → identity.
//! `cargo bench -p glass-identity --bench verify`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _};
use base64::Engine as _;
use criterion::{Criterion, criterion_group, criterion_main};
use glass_identity::{IdentityMapping, IssuerPolicy, KeySet, identify, verify_id_token};
use serde_json::json;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

const NOW: u64 = 1_800_000_000;

fn claims() -> String {
    json!({"iss": "https://issuer.example", "sub": "user-1", "aud": "glass",
           "exp": NOW + 300, "iat": NOW, "nonce": "n", "name": "Ada Lovelace",
           "jobTitle": "Support engineer", "groups": ["helpdesk", "staff"], "amr": ["pwd", "mfa"],
           "email": "ada@contoso.com", "email_verified": true})
    .to_string()
}

fn input(alg: &str, kid: &str) -> String {
    format!(
        "{}.{}",
        b64(json!({"alg": alg, "kid": kid, "typ": "JWT"})
            .to_string()
            .as_bytes()),
        b64(claims().as_bytes())
    )
}

fn tokens() -> (KeySet, Vec<(&'static str, String)>) {
    let rng = SystemRandom::new();
    let rsa = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let ec = EcdsaKeyPair::generate(&signature::ECDSA_P256_SHA256_FIXED_SIGNING).unwrap();
    let ed = Ed25519KeyPair::generate().unwrap();
    let c = signature::RsaPublicKeyComponents::<Vec<u8>>::from(rsa.public_key());
    let p = ec.public_key().as_ref();
    let jwks = json!({"keys": [
        {"kty": "RSA", "kid": "r", "n": b64(&c.n), "e": b64(&c.e)},
        {"kty": "EC", "kid": "e", "crv": "P-256", "x": b64(&p[1..33]), "y": b64(&p[33..])},
        {"kty": "OKP", "kid": "d", "crv": "Ed25519", "x": b64(ed.public_key().as_ref())},
    ]});
    let keys = KeySet::parse(jwks.to_string().as_bytes()).unwrap();
    let r = input("RS256", "r");
    let mut sig = vec![0; rsa.public_modulus_len()];
    rsa.sign(&signature::RSA_PKCS1_SHA256, &rng, r.as_bytes(), &mut sig)
        .unwrap();
    let rs256 = format!("{r}.{}", b64(&sig));
    let e = input("ES256", "e");
    let es256 = format!("{e}.{}", b64(ec.sign(&rng, e.as_bytes()).unwrap().as_ref()));
    let d = input("EdDSA", "d");
    let eddsa = format!("{d}.{}", b64(ed.sign(d.as_bytes()).as_ref()));
    (
        keys,
        vec![("RS256", rs256), ("ES256", es256), ("EdDSA", eddsa)],
    )
}

fn bench(c: &mut Criterion) {
    let (keys, tokens) = tokens();
    let policy = IssuerPolicy::new(
        "https://issuer.example",
        "glass",
        &["RS256", "ES256", "EdDSA"],
    )
    .unwrap();
    let mapping = IdentityMapping {
        tenant: "contoso".into(),
        ..IdentityMapping::default()
    };
    let now = UNIX_EPOCH + Duration::from_secs(NOW);
    let mut group = c.benchmark_group("verify_id_token");
    for (alg, token) in &tokens {
        group.bench_function(*alg, |b| {
            b.iter(|| {
                let claims =
                    verify_id_token(token, &policy, &keys, now, Some("n")).expect("verifies");
                identify(&claims, &mapping).expect("identifies")
            })
        });
    }
    group.finish();
    let _ = SystemTime::now();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
