package io.parley.recording.security;

import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/** AES-256-GCM with a 96-bit nonce and a 128-bit tag, the JDK's implementation. */
final class Aead {

    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    static final SecureRandom RANDOM = new SecureRandom();

    private Aead() {
    }

    static byte[] seal(SecretKey key, byte[] nonce, byte[] aad, byte[] plain, int off, int len) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            return c.doFinal(plain, off, len);
        } catch (GeneralSecurityException e) {
            throw new RecordingException(Problem.IO, "AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    static byte[] open(SecretKey key, byte[] nonce, byte[] aad, byte[] sealed, int off, int len, String what) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            return c.doFinal(sealed, off, len);
        } catch (AEADBadTagException e) {
            throw new RecordingException(Problem.DECRYPTION_FAILED,
                    what + " failed authentication: wrong key or the data was altered", e);
        } catch (GeneralSecurityException e) {
            throw new RecordingException(Problem.DECRYPTION_FAILED, what + " cannot be decrypted: " + e.getMessage(), e);
        }
    }

    static SecretKey resolve(KeyProvider keys, String keyId, String what) {
        if (keys == null) {
            throw new RecordingException(Problem.DECRYPTION_FAILED, what + " is encrypted with key '" + keyId
                    + "' but no KeyProvider is configured");
        }
        return keys.key(keyId).orElseThrow(() -> new RecordingException(Problem.DECRYPTION_FAILED,
                what + " is encrypted with key '" + keyId + "', which the KeyProvider does not know"));
    }
}
