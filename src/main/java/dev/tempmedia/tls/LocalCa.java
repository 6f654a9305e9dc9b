package dev.tempmedia.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * tempmedia's own certificate authority (SPEC §11): an EC P-256 key and a self-signed CA certificate,
 * made once per data directory ({@code ca.pem}, and {@code ca.key} readable by its owner only) or
 * given in the configuration, which issues the leaves the HTTPS listener and the proxy's tunnels
 * serve. Built with bcpkix's JCA classes on the JDK's own providers: nothing hand-made in DER.
 */
public final class LocalCa {
  public static final String CERT_FILE = "ca.pem";
  public static final String KEY_FILE = "ca.key";
  /** How long a generated CA is valid: long enough that nobody has to trust a second one. */
  static final Duration CA_VALIDITY = Duration.ofDays(3650);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private LocalCa(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** The CA in {@code dir}, made there first when it has none. */
  public static LocalCa inDirectory(Path dir, Clock clock) throws IOException {
    Path cert = dir.resolve(CERT_FILE);
    Path key = dir.resolve(KEY_FILE);
    if (Files.exists(cert) && Files.exists(key)) {
      return load(cert, key);
    }
    LocalCa made = generate(clock.instant());
    // The key first: a ca.pem without its key would be taken for a configured CA on the next start.
    Pem.writeSecret(key, Pem.privateKeyPem(made.key));
    Pem.writePublic(cert, made.certificatePem());
    return made;
  }

  /** A CA given as PEM files ({@code ca.cert}, {@code ca.key}). */
  public static LocalCa load(Path certFile, Path keyFile) throws IOException {
    X509Certificate cert = Pem.certificates(Files.readString(certFile)).get(0);
    PrivateKey key = Pem.privateKey(Files.readString(keyFile));
    if (cert.getBasicConstraints() < 0) {
      throw new IOException(
          certFile + " is not a CA certificate (its basic constraints say CA:false)");
    }
    return new LocalCa(cert, key);
  }

  static LocalCa generate(Instant now) throws IOException {
    try {
      KeyPair pair = newKeyPair();
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "localhost";
      }
      X500Name subject = new X500Name(
          "CN=tempmedia local CA " + host + " " + now.toString().substring(0, 10) + ",O=tempmedia");
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(CA_VALIDITY)),
              subject,
              pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert = sign(builder, pair.getPrivate());
      return new LocalCa(cert, pair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot make a CA: " + e.getMessage(), e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return Pem.of(certificate);
  }

  /**
   * A new leaf for {@code names} (host names and IP literals), valid from an hour ago (clocks
   * differ) for {@code validity}: EC P-256, serverAuth only.
   */
  public Leaf issue(List<String> names, Instant now, Duration validity) throws IOException {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a leaf needs at least one name");
    }
    try {
      KeyPair leafPair = newKeyPair();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
              certificate,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(validity)),
              new X500Name("CN=" + names.get(0) + ",O=tempmedia"),
              leafPair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, alternativeNames(names))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              ext.createSubjectKeyIdentifier(leafPair.getPublic()))
          .addExtension(
              Extension.authorityKeyIdentifier,
              false,
              ext.createAuthorityKeyIdentifier(certificate));
      X509Certificate leaf = sign(builder, key);
      return new Leaf(Pem.of(leaf), Pem.privateKeyPem(leafPair.getPrivate()), leaf);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot issue a certificate: " + e.getMessage(), e);
    }
  }

  /** A certificate and its private key, both PEM; {@code certificate} parsed. */
  public record Leaf(String certPem, String keyPem, X509Certificate certificate) {}

  private static GeneralNames alternativeNames(List<String> names) throws CertIOException {
    List<GeneralName> out = new ArrayList<>();
    for (String name : names) {
      out.add(
          isIpLiteral(name)
              ? new GeneralName(GeneralName.iPAddress, name)
              : new GeneralName(GeneralName.dNSName, name));
    }
    return new GeneralNames(out.toArray(GeneralName[]::new));
  }

  static boolean isIpLiteral(String name) {
    return name.matches("\\d{1,3}(\\.\\d{1,3}){3}") || name.contains(":");
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }
}
