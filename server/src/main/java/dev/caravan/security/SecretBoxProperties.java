package dev.caravan.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the key that encrypts stored secrets comes from. With neither set, a keyset is generated under
 * {@code <data-dir>/secrets/keyset.json} on first start (back it up with the data: without it stored secrets
 * cannot be read).
 *
 * @param key         base64 of 32 random bytes (e.g. {@code openssl rand -base64 32}) or a Tink JSON keyset;
 *                    from the environment as {@code CARAVAN_SECRETS_KEY}. Wins over the keyset file.
 * @param keysetFile  Tink JSON keyset file; default {@code <data-dir>/secrets/keyset.json}
 */
@ConfigurationProperties("caravan.secrets")
public record SecretBoxProperties(String key, String keysetFile) {
}
