package io.stopbob.github;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a service proves itself to GitHub: a personal access token ({@code GITHUB_TOKEN}),
 * or a GitHub App installation ({@code GITHUB_APP_ID}, {@code GITHUB_APP_INSTALLATION_ID}
 * and the app's private key, {@code GITHUB_APP_PRIVATE_KEY} or
 * {@code GITHUB_APP_PRIVATE_KEY_FILE}), whose hour-long installation tokens are renewed
 * before they expire. Neither means the local adapters.
 */
@ConfigurationProperties("stop.github")
public record GitHubAccess(String token, App app) {

	public GitHubAccess {
		app = (app != null) ? app : new App(null, null, null, null);
	}

	public boolean local() {
		return blank(this.token) && !this.app.configured();
	}

	/**
	 * @param id the app's id
	 * @param installationId the installation on the organization or repositories
	 * @param privateKey the PEM the app settings page downloads (PKCS#1 or PKCS#8)
	 * @param privateKeyFile a file holding that PEM, e.g. a mounted secret
	 */
	public record App(String id, Long installationId, String privateKey, String privateKeyFile) {

		public boolean configured() {
			return !blank(this.id);
		}

	}

	static boolean blank(String value) {
		return value == null || value.isBlank();
	}

}
