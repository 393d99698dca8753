package dev.caravan.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Where the keys that protect stored secrets and personal data come from. With neither {@code key} nor
 * {@code keysetFile} set, a keyset is generated under {@code <data-dir>/secrets/keyset.json} on first start (back it
 * up with the data: without it stored secrets and personal fields cannot be read).
 *
 * @param key         base64 of 32 random bytes (e.g. {@code openssl rand -base64 32}) or a Tink JSON keyset;
 *                    from the environment as {@code CARAVAN_SECRETS_KEY}. Wins over the keyset file.
 * @param keysetFile  Tink JSON keyset file; default {@code <data-dir>/secrets/keyset.json}
 * @param indexKey    key of the blind indexes (keyed hashes of e-mails, phones, buyer ids and name words used to
 *                    find customers): base64 of 32 random bytes, from the environment as
 *                    {@code CARAVAN_SECRETS_INDEX_KEY}. Unset: derived from {@code key} when that is set, else
 *                    generated under {@code <data-dir>/secrets/index-key}. It must never change (see
 *                    docs/SECURITY.md).
 */
@ConfigurationProperties("caravan.secrets")
public record SecretBoxProperties(String key, String keysetFile, String indexKey) {

    @ConstructorBinding
    public SecretBoxProperties {
    }

    public SecretBoxProperties(String key, String keysetFile) {
        this(key, keysetFile, null);
    }
}
