import java.security.cert.X509Certificate;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;

public class Insecure {
    static class TrustEverything implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        // ruleid: dpra.java.tls-trust-all
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    static class AnyHost implements HostnameVerifier {
        // ruleid: dpra.java.tls-trust-all
        public boolean verify(String hostname, SSLSession session) {
            return true;
        }
    }

    static void global() {
        // ruleid: dpra.java.tls-trust-all
        HttpsURLConnection.setDefaultHostnameVerifier((hostname, session) -> true);
    }

    static class Pinned implements HostnameVerifier {
        // ok: dpra.java.tls-trust-all
        public boolean verify(String hostname, SSLSession session) {
            return "api.example.com".equals(hostname);
        }
    }

    static class Checked implements X509TrustManager {
        private final X509TrustManager delegate;

        Checked(X509TrustManager delegate) {
            this.delegate = delegate;
        }

        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        // ok: dpra.java.tls-trust-all
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
