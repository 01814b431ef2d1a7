import COpenSSL
import Foundation

/// A throwaway PKI made at test time with OpenSSL's C API: a CA and a server certificate it signed.
/// `caFilePath` is a PEM file holding the CA, for clients (the SSL_CERT_FILE role).
public struct TestCertificates: Sendable {
    public let caCertificatePEM: String
    public let serverCertificatePEM: String
    public let serverPrivateKeyPEM: String
    /// The CA written to a fresh temporary file, removed with the last copy of this value.
    public let caFilePath: String
    private let caDirectory: TemporaryDirectory

    public struct GenerationError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes a CA and a server certificate for `hosts` (IP addresses become IP SANs, names DNS SANs).
    public static func generate(hosts: [String] = ["127.0.0.1", "localhost"], commonName: String = "clanbot test server") throws -> TestCertificates {
        let caKey = try KeyPair()
        let ca = try CertificateBuilder(subject: "clanbot test CA", publicKey: caKey, serial: 1)
        try ca.setIssuer(ca)
        try ca.addExtension(NID_basic_constraints, "critical,CA:TRUE", issuer: ca)
        try ca.addExtension(NID_key_usage, "critical,keyCertSign,cRLSign", issuer: ca)
        try ca.addExtension(NID_subject_key_identifier, "hash", issuer: ca)
        try ca.sign(with: caKey)

        let serverKey = try KeyPair()
        let server = try CertificateBuilder(subject: commonName, publicKey: serverKey, serial: 2)
        try server.setIssuer(ca)
        try server.addExtension(NID_basic_constraints, "critical,CA:FALSE", issuer: ca)
        try server.addExtension(NID_key_usage, "critical,digitalSignature,keyEncipherment", issuer: ca)
        try server.addExtension(NID_ext_key_usage, "serverAuth", issuer: ca)
        try server.addExtension(NID_subject_key_identifier, "hash", issuer: ca)
        try server.addExtension(NID_authority_key_identifier, "keyid:always", issuer: ca)
        let names = hosts.map { host in host.contains(where: { $0.isLetter }) && !host.contains(":") ? "DNS:\(host)" : "IP:\(host)" }
        try server.addExtension(NID_subject_alt_name, names.joined(separator: ","), issuer: ca)
        try server.sign(with: caKey)

        let caPEM = try ca.pem()
        let directory = try TemporaryDirectory("ca")
        let caFile = directory.path("ca.pem")
        try caPEM.write(toFile: caFile, atomically: true, encoding: .utf8)
        return TestCertificates(
            caCertificatePEM: caPEM, serverCertificatePEM: try server.pem(),
            serverPrivateKeyPEM: try serverKey.privateKeyPEM(), caFilePath: caFile, caDirectory: directory)
    }
}

/// An EC P-256 key pair. Owns the EVP_PKEY*.
final class KeyPair {
    let key: OpaquePointer

    init() throws(TestCertificates.GenerationError) {
        guard let key = clanbot_EVP_EC_gen("P-256") else {
            throw TestCertificates.GenerationError(description: "EC key generation failed: \(opensslErrors())")
        }
        self.key = key
    }

    deinit { EVP_PKEY_free(key) }

    func privateKeyPEM() throws(TestCertificates.GenerationError) -> String {
        try withMemoryBIO { bio in PEM_write_bio_PrivateKey(bio, key, nil, nil, 0, nil, nil) }
    }
}

/// An X509 being assembled. Owns the X509*.
final class CertificateBuilder {
    let certificate: OpaquePointer

    init(subject: String, publicKey: KeyPair, serial: Int) throws(TestCertificates.GenerationError) {
        guard let certificate = X509_new() else { throw TestCertificates.GenerationError(description: "X509_new failed") }
        self.certificate = certificate
        guard X509_set_version(certificate, 2) == 1,
              ASN1_INTEGER_set(X509_get_serialNumber(certificate), serial) == 1,
              X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) != nil,
              X509_gmtime_adj(X509_getm_notAfter(certificate), 7 * 24 * 3600) != nil,
              X509_set_pubkey(certificate, publicKey.key) == 1,
              X509_NAME_add_entry_by_txt(X509_get_subject_name(certificate), "CN", MBSTRING_ASC, subject, -1, -1, 0) == 1
        else { throw TestCertificates.GenerationError(description: "filling in the certificate failed: \(opensslErrors())") }
    }

    deinit { X509_free(certificate) }

    func setIssuer(_ issuer: CertificateBuilder) throws(TestCertificates.GenerationError) {
        guard X509_set_issuer_name(certificate, X509_get_subject_name(issuer.certificate)) == 1 else {
            throw TestCertificates.GenerationError(description: "X509_set_issuer_name failed: \(opensslErrors())")
        }
    }

    func addExtension(_ nid: Int32, _ value: String, issuer: CertificateBuilder) throws(TestCertificates.GenerationError) {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer.certificate, certificate, nil, nil, 0)
        guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
            throw TestCertificates.GenerationError(description: "extension \(value) rejected: \(opensslErrors())")
        }
        defer { X509_EXTENSION_free(ext) }
        guard X509_add_ext(certificate, ext, -1) == 1 else {
            throw TestCertificates.GenerationError(description: "X509_add_ext failed: \(opensslErrors())")
        }
    }

    func sign(with key: KeyPair) throws(TestCertificates.GenerationError) {
        guard X509_sign(certificate, key.key, EVP_sha256()) > 0 else {
            throw TestCertificates.GenerationError(description: "X509_sign failed: \(opensslErrors())")
        }
    }

    func pem() throws(TestCertificates.GenerationError) -> String {
        try withMemoryBIO { bio in PEM_write_bio_X509(bio, certificate) }
    }
}

/// Runs `write` into a memory BIO and returns what it wrote.
private func withMemoryBIO(_ write: (OpaquePointer) -> Int32) throws(TestCertificates.GenerationError) -> String {
    guard let bio = BIO_new(BIO_s_mem()) else { throw TestCertificates.GenerationError(description: "BIO_new failed") }
    defer { BIO_free(bio) }
    guard write(bio) == 1 else { throw TestCertificates.GenerationError(description: "PEM encoding failed: \(opensslErrors())") }
    var data: UnsafeMutablePointer<CChar>?
    let length = clanbot_BIO_get_mem_data(bio, &data)
    guard let data, length > 0 else { throw TestCertificates.GenerationError(description: "PEM output is empty") }
    return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
}

private func opensslErrors() -> String {
    var messages: [String] = []
    while case let code = ERR_get_error(), code != 0 {
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    return messages.isEmpty ? "no OpenSSL error queued" : messages.joined(separator: "; ")
}
