package com.emaileventhub.http;

import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Run in its own JVM (the test's JVM disables TLS 1.0/1.1 for its own clients): one handshake with
 * exactly the protocol given, printing OK or what failed, so the test sees whether the server refused.
 */
public final class LegacyTlsProbe {
    private LegacyTlsProbe() {
    }

    public static void main(String[] args) throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(args[0], Integer.parseInt(args[1]))) {
            socket.setSoTimeout(5_000);
            socket.setEnabledProtocols(new String[] {args[2]});
            socket.startHandshake();
            System.out.println("OK " + socket.getSession().getProtocol());
        } catch (Exception e) {
            System.out.println("FAILED " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
