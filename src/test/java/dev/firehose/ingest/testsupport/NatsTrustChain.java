package dev.firehose.ingest.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import io.nats.client.NKey;
import io.nats.client.support.JwtUtils;

/**
 * A NATS operator-mode trust chain, made here as {@code nsc} would make it: an operator that signs one account
 * (JetStream allowed, no limits) and the system account, and the first account signs users. The system account
 * is not used by the tests, but nats-server 2.9 will not start JetStream in operator mode without one ("system
 * account not setup"). The JWTs come from jnats's {@link JwtUtils}
 * ({@code issueJWT} for the operator and account claims, {@code issueUserJWT} for users), signed with Ed25519
 * NKeys. The server trusts the operator JWT and gets the account JWT preloaded ({@code resolver: MEMORY}), so no
 * nsc and no account server are needed.
 */
public final class NatsTrustChain {

    /** Account limits: -1 = unlimited. Non-zero JetStream limits (mem/disk storage, streams, consumers) enable it. */
    private static final String ACCOUNT_LIMITS = "{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,"
            + "\"exports\":-1,\"wildcards\":true,\"conn\":-1,\"leaf\":-1,"
            + "\"mem_storage\":-1,\"disk_storage\":-1,\"streams\":-1,\"consumer\":-1}";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final NKey operator;
    private final NKey account;
    private final NKey system;
    private final String operatorJwt;
    private final String accountJwt;
    private final String systemJwt;

    private NatsTrustChain() throws GeneralSecurityException, IOException {
        operator = NKey.createOperator(RANDOM);
        account = NKey.createAccount(RANDOM);
        system = NKey.createAccount(RANDOM);
        String operatorKey = publicKey(operator);
        String systemKey = publicKey(system);
        long now = JwtUtils.currentTimeSeconds();
        // self-signed: issuer and subject are the operator itself
        operatorJwt = JwtUtils.issueJWT(operator, operatorKey, "test-operator", null, now, operatorKey, null,
                () -> "{\"type\":\"operator\",\"version\":2,\"system_account\":\"" + systemKey + "\"}");
        accountJwt = JwtUtils.issueJWT(operator, publicKey(account), "ingest-account", null, now, operatorKey, null,
                () -> "{\"type\":\"account\",\"version\":2,\"limits\":" + ACCOUNT_LIMITS + "}");
        systemJwt = JwtUtils.issueJWT(operator, systemKey, "SYS", null, now, operatorKey, null,
                () -> "{\"type\":\"account\",\"version\":2}");
    }

    public static NatsTrustChain create() {
        try {
            return new NatsTrustChain();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code operator.jwt} and {@code operator-mode.conf} into {@code dir}; returns the config, to pass
     * with {@code -c}. JetStream, address and port come from the command line (NatsServerProcess).
     */
    public Path writeServerConfig(Path dir) {
        try {
            Files.createDirectories(dir);
            Path operatorFile = Files.writeString(dir.resolve("operator.jwt"), operatorJwt);
            String config = "operator: \"" + operatorFile + "\"\n"
                    + "system_account: " + publicKey(system) + "\n"
                    + "resolver: MEMORY\n"
                    + "resolver_preload: {\n"
                    + "  " + publicKey(account) + ": \"" + accountJwt + "\"\n"
                    + "  " + publicKey(system) + ": \"" + systemJwt + "\"\n"
                    + "}\n";
            return Files.writeString(dir.resolve("operator-mode.conf"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new user of this chain's account, as the text of a .creds file. */
    public String userCreds(String name) {
        return userCreds(account, name);
    }

    /**
     * A user signed by an account no operator of the server issued: looks like valid credentials, but the
     * server cannot resolve the account.
     */
    public static String foreignUserCreds(String name) {
        return userCreds(null, name);
    }

    /** {@code signingAccount} null: a fresh account that nobody issued. */
    private static String userCreds(NKey signingAccount, String name) {
        try {
            if (signingAccount == null) {
                signingAccount = NKey.createAccount(RANDOM);
            }
            NKey user = NKey.createUser(RANDOM);
            String jwt = JwtUtils.issueUserJWT(signingAccount, publicKey(signingAccount), publicKey(user), name);
            return credsFile(jwt, new String(user.getSeed()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The .creds layout nsc writes (and NGS hands out): the user JWT, then the user's NKey seed. */
    static String credsFile(String userJwt, String userSeed) {
        return "-----BEGIN NATS USER JWT-----\n"
                + userJwt + "\n"
                + "------END NATS USER JWT------\n"
                + "\n"
                + "************************* IMPORTANT *************************\n"
                + "NKEY Seed printed below can be used to sign and prove identity.\n"
                + "NKEYs are sensitive and should be treated as secrets.\n"
                + "\n"
                + "-----BEGIN USER NKEY SEED-----\n"
                + userSeed + "\n"
                + "------END USER NKEY SEED------\n"
                + "\n"
                + "*************************************************************\n";
    }

    private static String publicKey(NKey key) {
        try {
            return new String(key.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
