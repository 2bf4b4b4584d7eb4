package io.stopbob.github;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;

import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.authorization.AppInstallationAuthorizationProvider;
import org.kohsuke.github.authorization.AuthorizationProvider;
import org.kohsuke.github.authorization.ImmutableAuthorizationProvider;
import org.kohsuke.github.extras.authorization.JWTTokenProvider;

/** The one way a service connects to GitHub. */
public final class GitHubClients {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private GitHubClients() {
	}

	/**
	 * A client that authenticates as the access says: a token as it is, an app by its
	 * installation's tokens, fetched when needed and renewed five minutes before they
	 * expire (github-api's own providers).
	 * @param apiUrl {@code https://api.github.com}, or GitHub Enterprise's
	 * {@code /api/v3}
	 */
	public static Connection connect(GitHubAccess access, String apiUrl) {
		AuthorizationProvider authorization = access.app().configured() ? app(access.app())
				: ImmutableAuthorizationProvider.fromOauthToken(access.token());
		try {
			GitHub api = new GitHubBuilder().withEndpoint(apiUrl)
				.withAuthorizationProvider(authorization)
				// Rate limits become bounded retries in GitHubCalls, not the client's
				// open-ended wait.
				.withRateLimitHandler(GitHubCalls.rateLimits())
				.withAbuseLimitHandler(GitHubCalls.secondaryRateLimits())
				.build();
			return new Connection(api, apiUrl.replaceAll("/+$", ""), authorization);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static AuthorizationProvider app(GitHubAccess.App app) {
		if (app.installationId() == null) {
			throw new IllegalStateException("GITHUB_APP_INSTALLATION_ID is not set: GITHUB_APP_ID " + app.id()
					+ " needs the id of its installation on the repositories it deploys");
		}
		JWTTokenProvider jwt = new JWTTokenProvider(app.id(), privateKey(app));
		long installation = app.installationId();
		return new AppInstallationAuthorizationProvider((github) -> github.getInstallationById(installation), jwt);
	}

	private static PrivateKey privateKey(GitHubAccess.App app) {
		String pem;
		if (!GitHubAccess.blank(app.privateKey())) {
			// An environment variable often carries the PEM's line breaks as "\n".
			pem = app.privateKey().replace("\\n", "\n");
		}
		else if (!GitHubAccess.blank(app.privateKeyFile())) {
			try {
				pem = Files.readString(Path.of(app.privateKeyFile()), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot read GITHUB_APP_PRIVATE_KEY_FILE " + app.privateKeyFile(), ex);
			}
		}
		else {
			throw new IllegalStateException("GITHUB_APP_ID is set but neither GITHUB_APP_PRIVATE_KEY nor"
					+ " GITHUB_APP_PRIVATE_KEY_FILE: the app's private key signs its installation tokens");
		}
		try {
			return rsaKey(pem);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalStateException("the GitHub App's private key is not an RSA key in PEM form", ex);
		}
	}

	/**
	 * GitHub hands out PKCS#1 ({@code BEGIN RSA PRIVATE KEY}); Java reads PKCS#8, so a
	 * PKCS#1 key is wrapped in PKCS#8's envelope first.
	 */
	static PrivateKey rsaKey(String pem) throws GeneralSecurityException {
		byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[^-]+-----", "").strip());
		if (pem.contains("BEGIN RSA PRIVATE KEY")) {
			byte[] rsaAlgorithm = { 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
					0x01, 0x01, 0x01, 0x05, 0x00 };
			der = der(0x30, concat(new byte[] { 0x02, 0x01, 0x00 }, rsaAlgorithm, der(0x04, der)));
		}
		return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
	}

	private static byte[] der(int tag, byte[] value) {
		int n = value.length;
		byte[] length = (n < 0x80) ? new byte[] { (byte) n }
				: (n < 0x100) ? new byte[] { (byte) 0x81, (byte) n }
						: (n < 0x10000) ? new byte[] { (byte) 0x82, (byte) (n >> 8), (byte) n }
								: new byte[] { (byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n };
		return concat(new byte[] { (byte) tag }, length, value);
	}

	private static byte[] concat(byte[]... parts) {
		int size = 0;
		for (byte[] part : parts) {
			size += part.length;
		}
		byte[] all = new byte[size];
		int at = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, all, at, part.length);
			at += part.length;
		}
		return all;
	}

	/**
	 * The client, and the REST calls it does not cover made with the same credentials.
	 */
	public record Connection(GitHub api, String apiUrl, AuthorizationProvider authorization) {

		/**
		 * GET of a REST path; the JSON body. A status other than 2xx is thrown as the
		 * client would throw it, so {@link GitHubCalls} treats it alike.
		 */
		public String get(String path) throws IOException {
			HttpRequest request = HttpRequest.newBuilder(URI.create(this.apiUrl + path))
				.timeout(Duration.ofSeconds(30))
				.header("Accept", "application/vnd.github+json")
				.header("Authorization", this.authorization.getEncodedAuthorization())
				.GET()
				.build();
			HttpResponse<String> response;
			try {
				response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted", ex);
			}
			if (response.statusCode() / 100 != 2) {
				throw new HttpException(response.body(), response.statusCode(), null, request.uri().toString());
			}
			return response.body();
		}

	}

}
