package io.ruleshift.flink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where a job finds the TLS material for {@code amqps://} brokers: paths of PEM files on the
 * TaskManagers (the adapter's AMQP_TLS_* files, or FLINK_AMQP_TLS_* where TaskManagers see them
 * elsewhere). Only the paths travel with the job, never a key. The files are read when a
 * connection opens, on the TaskManager.
 *
 * <p>The key must be an unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}, what {@code openssl
 * req -nodes} and {@code openssl pkcs8 -topk8 -nocrypt} write), RSA or EC: the JDK reads that
 * without a library (see docs/decisions.md).
 */
public record BrokerTls(String caFile, String certFile, String keyFile) implements Serializable {
  public static final BrokerTls NONE = new BrokerTls(null, null, null);

  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");
  private static final char[] NO_PASSWORD = new char[0];

  public BrokerTls {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("--tls-cert-file and --tls-key-file go together");
    }
  }

  /**
   * The TLS context for an amqps connection: the broker's certificate verified against the CA
   * file (the JVM's trusted CAs when none is given), the client certificate presented when one
   * is given.
   */
  public SSLContext sslContext() throws IOException, GeneralSecurityException {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (caFile != null) {
      KeyStore cas = emptyKeyStore();
      List<Certificate> certificates = certificates(caFile);
      for (int i = 0; i < certificates.size(); i++) cas.setCertificateEntry("ca-" + i, certificates.get(i));
      trust.init(cas);
    } else {
      trust.init((KeyStore) null);
    }
    KeyManagerFactory keys = null;
    if (certFile != null) {
      KeyStore identity = emptyKeyStore();
      identity.setKeyEntry(
          "client", privateKey(keyFile), NO_PASSWORD, certificates(certFile).toArray(new Certificate[0]));
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(identity, NO_PASSWORD);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  private static KeyStore emptyKeyStore() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    return store;
  }

  static List<Certificate> certificates(String file) throws IOException, GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<Certificate> out = new ArrayList<>();
    for (byte[] der : pemBlocks(file, "CERTIFICATE")) {
      out.add(factory.generateCertificate(new ByteArrayInputStream(der)));
    }
    if (out.isEmpty()) throw new IOException(file + " holds no PEM CERTIFICATE");
    return out;
  }

  static PrivateKey privateKey(String file) throws IOException, GeneralSecurityException {
    List<byte[]> blocks = pemBlocks(file, "PRIVATE KEY");
    if (blocks.isEmpty()) {
      throw new IOException(
          file + " holds no unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with"
              + " openssl pkcs8 -topk8 -nocrypt");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(blocks.get(0));
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (InvalidKeySpecException notThisOne) {
        // try the next algorithm
      }
    }
    throw new IOException(file + " holds a key that is not RSA, EC or Ed25519");
  }

  private static List<byte[]> pemBlocks(String file, String type) throws IOException {
    String text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    List<byte[]> blocks = new ArrayList<>();
    Matcher m = PEM_BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(type)) blocks.add(Base64.getMimeDecoder().decode(m.group(2)));
    }
    return blocks;
  }
}
