package dev.cairn.storage;

import java.io.IOException;

/**
 * The storage refused the credential (unknown, revoked, or not allowed for this repository), or
 * is refusing attempts after too many failures. Permanent: the user must fix the credential.
 */
public class NotAuthorizedException extends IOException {
    public NotAuthorizedException(String message) {
        super(message);
    }
}
