package dev.firehose.ingest.nats;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An SSLContext from PEM files, the form Kubernetes secrets (and cert-manager) carry: a CA bundle to trust the
 * NATS server, and optionally a client certificate chain with its PKCS#8 private key for mutual TLS. The JDK
 * reads PEM certificates itself; keys are plain PKCS#8 ("BEGIN PRIVATE KEY", RSA or EC).
 */
final class PemTls {

    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {
    }

    static SSLContext context(String caFile, String certFile, String keyFile) throws IOException,
            GeneralSecurityException {
        TrustManagerFactory trust = null;
        if (!caFile.isEmpty()) {
            KeyStore trusted = emptyStore();
            int i = 0;
            for (Certificate ca : certificates(caFile)) {
                trusted.setCertificateEntry("ca-" + i++, ca);
            }
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
        }
        KeyManagerFactory keys = null;
        if (!certFile.isEmpty()) {
            if (keyFile.isEmpty()) {
                throw new IllegalArgumentException("NATS_TLS_CERT is set but NATS_TLS_KEY is not");
            }
            KeyStore own = emptyStore();
            own.setKeyEntry("client", privateKey(keyFile), NO_PASSWORD,
                    certificates(certFile).toArray(new Certificate[0]));
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(own, NO_PASSWORD);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                null);
        return context;
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static Collection<? extends Certificate> certificates(String file) throws IOException,
            GeneralSecurityException {
        byte[] pem = Files.readAllBytes(Path.of(file));
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem));
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + file);
        }
        return certs;
    }

    private static PrivateKey privateKey(String file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem'");
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }
}
