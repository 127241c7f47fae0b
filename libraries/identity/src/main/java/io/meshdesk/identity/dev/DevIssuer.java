package io.meshdesk.identity.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import io.meshdesk.identity.Claims;
import io.meshdesk.identity.Group;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * FOR DEVELOPMENT AND TESTS ONLY: an issuer whose private keys sit in a local directory. It
 * signs RS256 and ES256 tokens that functions verify with the public key set it writes beside
 * them ({@code jwks.json}, what {@code mp.jwt.verify.publickey.location} points at locally).
 * Production points {@code mp.jwt.verify.*} at the real identity provider instead.
 */
public final class DevIssuer {

    /** The issuer of local runs ({@code mp.jwt.verify.issuer} in the functions' default profile). */
    public static final String LOCAL_ISSUER = "https://dev-issuer.meshdesk.local";

    public static final String PUBLIC_KEYS = "jwks.json";
    public static final String PRIVATE_KEYS = "private-jwks.json";
    static final String RSA_KID = "meshdesk-dev-rs256";
    static final String EC_KID = "meshdesk-dev-es256";

    private final String issuer;
    private final PublicJsonWebKey rsa;
    private final PublicJsonWebKey ec;

    private DevIssuer(String issuer, JsonWebKeySet privateKeys) {
        this.issuer = issuer;
        this.rsa = (PublicJsonWebKey) find(privateKeys, RSA_KID);
        this.ec = (PublicJsonWebKey) find(privateKeys, EC_KID);
    }

    /** The issuer whose keys are in {@code dir}, creating them (and the directory) on first use. */
    public static DevIssuer inDirectory(Path dir, String issuer) {
        Path privateFile = dir.resolve(PRIVATE_KEYS);
        try {
            if (!Files.exists(privateFile)) {
                create(dir);
            }
            return new DevIssuer(issuer, new JsonWebKeySet(Files.readString(privateFile)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the development issuer's keys in " + dir, e);
        } catch (JoseException e) {
            throw new IllegalStateException(privateFile + " is not a JSON Web Key Set; delete it to get new keys", e);
        }
    }

    /** An issuer whose private key set is this file, which must exist (a sender never makes keys of its own). */
    public static DevIssuer fromFile(Path privateKeys, String issuer) {
        try {
            return new DevIssuer(issuer, new JsonWebKeySet(Files.readString(privateKeys)));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the issuer's private keys at " + privateKeys + " (bin/meshdesk-up creates them)", e);
        } catch (JoseException e) {
            throw new IllegalStateException(privateKeys + " is not a JSON Web Key Set", e);
        }
    }

    /** An issuer whose private key set is a class path resource (the test issuer's checked-in keys). */
    public static DevIssuer fromResource(String resource, String issuer) {
        try (InputStream in = DevIssuer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no class path resource " + resource);
            }
            return new DevIssuer(issuer, new JsonWebKeySet(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        } catch (JoseException e) {
            throw new IllegalStateException(resource + " is not a JSON Web Key Set", e);
        }
    }

    /** An issuer with fresh keys that live only in memory (what a forger would sign with). */
    public static DevIssuer ephemeral(String issuer) {
        return new DevIssuer(issuer, generate());
    }

    private static synchronized void create(Path dir) throws IOException {
        Files.createDirectories(dir);
        JsonWebKeySet all = generate();
        Path privateFile = dir.resolve(PRIVATE_KEYS);
        // Written under a temporary name and moved: a concurrent reader sees no key or a whole one.
        Path tmp = Files.createTempFile(
                dir,
                PRIVATE_KEYS,
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, all.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        Files.writeString(dir.resolve(PUBLIC_KEYS), all.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        Files.move(tmp, privateFile, StandardCopyOption.ATOMIC_MOVE);
    }

    private static JsonWebKeySet generate() {
        try {
            PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
            rsa.setKeyId(RSA_KID);
            rsa.setAlgorithm("RS256");
            rsa.setUse("sig");
            PublicJsonWebKey ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            ec.setKeyId(EC_KID);
            ec.setAlgorithm("ES256");
            ec.setUse("sig");
            return new JsonWebKeySet(rsa, ec);
        } catch (JoseException e) {
            throw new IllegalStateException("could not generate the development issuer's keys", e);
        }
    }

    public String issuer() {
        return issuer;
    }

    /** The public key set, as {@code mp.jwt.verify.publickey.location} reads it. */
    public String publicKeys() {
        return new JsonWebKeySet(rsa, ec).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    public String sign(TokenSpec spec) {
        Instant now = Instant.now();
        JwtClaimsBuilder claims = Jwt.issuer(issuer)
                .subject(spec.subject())
                .groups(spec.groups().stream().map(Group::claim).collect(Collectors.toSet()))
                .issuedAt(now)
                .expiresAt(now.plus(spec.ttl()));
        if (spec.tier() != null) {
            claims.claim(Claims.TIER, spec.tier());
        }
        if (spec.tenant() != null) {
            claims.claim(Claims.TENANT, spec.tenant());
        }
        if (spec.residency() != null) {
            claims.claim(Claims.RESIDENCY, spec.residency());
        }
        if (!spec.audience().isEmpty()) {
            claims.audience(Set.copyOf(spec.audience()));
        }
        PublicJsonWebKey key = spec.algorithm() == TokenSpec.Algorithm.ES256 ? ec : rsa;
        return claims.jws()
                .keyId(key.getKeyId())
                .algorithm(SignatureAlgorithm.fromAlgorithm(spec.algorithm().name()))
                .sign((PrivateKey) key.getPrivateKey());
    }

    private static JsonWebKey find(JsonWebKeySet set, String kid) {
        JsonWebKey key = set.findJsonWebKey(kid, null, null, null);
        if (!(key instanceof PublicJsonWebKey pk) || pk.getPrivateKey() == null) {
            throw new IllegalStateException("the issuer's key set has no private key " + kid);
        }
        return key;
    }
}
