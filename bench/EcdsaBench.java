import com.emaileventhub.verify.Ecdsa;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * CPU time of one ECDSA P-256 / SHA-256 verification over a 2 KB body, the check every SendGrid request pays: the
 * JDK's own (SunEC) and the hub's (verify/Ecdsa, BouncyCastle's curve arithmetic). Counted in thread CPU time, so a
 * busy machine changes the answer little. Needs the packaged jar on the class path; run it with each JDK to compare:
 * {@code java -cp target/email-event-hub.jar bench/EcdsaBench.java} and
 * {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp target/email-event-hub.jar bench/EcdsaBench.java}.
 */
public class EcdsaBench {
    public static void main(String[] args) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        byte[] body = new byte[2000];
        new SecureRandom().nextBytes(body);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(body);
        byte[] signature = signer.sign();
        List<PublicKey> hubKeys = Ecdsa.publicKeys(Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()), "bench");
        measure("JDK SunEC", () -> {
            try {
                Signature verifier = Signature.getInstance("SHA256withECDSA");
                verifier.initVerify(pair.getPublic());
                verifier.update(body);
                return verifier.verify(signature);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        measure("hub (verify/Ecdsa)", () -> Ecdsa.verifiesAny(hubKeys, signature, body));
    }

    private static void measure(String what, BooleanSupplier verification) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 3; round++) {   // the first rounds warm the JIT up
            long start = threads.getCurrentThreadCpuTime();
            int n = 0;
            while (threads.getCurrentThreadCpuTime() - start < 3_000_000_000L) {
                if (!verification.getAsBoolean()) {
                    throw new IllegalStateException("signature did not verify");
                }
                n++;
            }
            System.out.printf("java %s, %s, round %d: %.0f us CPU per verification%n",
                    System.getProperty("java.version"), what, round, 3_000_000.0 / n);
        }
    }
}
