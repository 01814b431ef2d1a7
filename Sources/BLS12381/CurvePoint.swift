/// What the point arithmetic needs of a coordinate field (Fp for G1, Fp2 for G2).
protocol CoordinateField: Sendable, Equatable {
    static var zero: Self { get }
    static var one: Self { get }
    var isZero: Bool { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    func squared() -> Self
    func inverse() -> Self
    func squareRoot() -> Self?
    static func select(_ a: Self, _ b: Self, _ choice: Bool) -> Self
}

extension Fp: CoordinateField {}
extension Fp2: CoordinateField {}

/// A curve y² = x³ + b over a coordinate field.
protocol ShortWeierstrassCurve {
    associatedtype Field: CoordinateField
    static var b: Field { get }
    /// 3·b, which the complete addition formulas use.
    static var b3: Field { get }
}

/// A point in homogeneous projective coordinates (x = X/Z, y = Y/Z; the identity is (0 : 1 : 0)).
///
/// Addition uses the complete formulas for a = 0 of Renes, Costello and Batina (eprint 2015/1060, Algorithm 7):
/// one branch-free formula for every pair of points, doubling and the identity included, so scalar
/// multiplication by a secret has no exceptional cases to branch on.
struct ProjectivePoint<Curve: ShortWeierstrassCurve>: Sendable {
    typealias Field = Curve.Field
    var x: Field
    var y: Field
    var z: Field

    static var identity: ProjectivePoint { ProjectivePoint(x: .zero, y: .one, z: .zero) }

    init(x: Field, y: Field, z: Field) {
        self.x = x
        self.y = y
        self.z = z
    }

    init(affine: AffinePoint<Curve>) {
        self.init(x: affine.x, y: affine.y, z: affine.isIdentity ? .zero : .one)
        if affine.isIdentity { self = .identity }
    }

    var isIdentity: Bool { z.isZero }

    static func + (p: ProjectivePoint, q: ProjectivePoint) -> ProjectivePoint {
        let b3 = Curve.b3
        var t0 = p.x * q.x
        var t1 = p.y * q.y
        var t2 = p.z * q.z
        var t3 = (p.x + p.y) * (q.x + q.y)
        var t4 = t0 + t1
        t3 = t3 - t4
        t4 = (p.y + p.z) * (q.y + q.z)
        var x3 = t1 + t2
        t4 = t4 - x3
        x3 = (p.x + p.z) * (q.x + q.z)
        var y3 = t0 + t2
        y3 = x3 - y3
        x3 = t0 + t0
        t0 = x3 + t0
        t2 = b3 * t2
        var z3 = t1 + t2
        t1 = t1 - t2
        y3 = b3 * y3
        x3 = t4 * y3
        t2 = t3 * t1
        x3 = t2 - x3
        y3 = y3 * t0
        t1 = t1 * z3
        y3 = t1 + y3
        t0 = t0 * t3
        z3 = z3 * t4
        z3 = z3 + t0
        return ProjectivePoint(x: x3, y: y3, z: z3)
    }

    static prefix func - (p: ProjectivePoint) -> ProjectivePoint { ProjectivePoint(x: p.x, y: -p.y, z: p.z) }

    func doubled() -> ProjectivePoint { self + self }

    /// scalar·self for a public scalar (little-endian words): double-and-add over its bits.
    func multiplied(byPublic scalar: [UInt64]) -> ProjectivePoint {
        var result = ProjectivePoint.identity
        for bit in WordArithmetic.bits(scalar) {
            result = result.doubled()
            if bit { result = result + self }
        }
        return result
    }

    /// scalar·self for a secret scalar: always `bitCount` doublings and additions, the result chosen by a
    /// masked select, so neither the time nor the memory accesses depend on the scalar's bits.
    func multiplied(bySecret scalar: [UInt64], bitCount: Int) -> ProjectivePoint {
        var result = ProjectivePoint.identity
        for index in (0..<bitCount).reversed() {
            result = result.doubled()
            let sum = result + self
            let bit = (scalar[index / 64] >> UInt64(index % 64)) & 1 == 1
            result = ProjectivePoint(x: Field.select(result.x, sum.x, bit), y: Field.select(result.y, sum.y, bit),
                                     z: Field.select(result.z, sum.z, bit))
        }
        return result
    }

    var affine: AffinePoint<Curve> {
        guard !isIdentity else { return .identity }
        let inverse = z.inverse()
        return AffinePoint(x: x * inverse, y: y * inverse)
    }

    /// In the prime-order subgroup: r·P is the identity.
    var isInPrimeOrderSubgroup: Bool { multiplied(byPublic: Scalar.orderWords).isIdentity }
}

extension ProjectivePoint: Equatable {
    static func == (p: ProjectivePoint, q: ProjectivePoint) -> Bool {
        if p.isIdentity || q.isIdentity { return p.isIdentity == q.isIdentity }
        return p.x * q.z == q.x * p.z && p.y * q.z == q.y * p.z
    }
}

/// A point in affine coordinates; the identity has a flag of its own.
struct AffinePoint<Curve: ShortWeierstrassCurve>: Sendable, Equatable {
    typealias Field = Curve.Field
    var x: Field
    var y: Field
    var isIdentity: Bool

    init(x: Field, y: Field) {
        self.x = x
        self.y = y
        isIdentity = false
    }

    static var identity: AffinePoint {
        var point = AffinePoint(x: .zero, y: .one)
        point.isIdentity = true
        return point
    }

    var isOnCurve: Bool { isIdentity || y.squared() == x.squared() * x + Curve.b }

    var projective: ProjectivePoint<Curve> { ProjectivePoint(affine: self) }

    static prefix func - (p: AffinePoint) -> AffinePoint {
        var negated = p
        negated.y = -p.y
        return negated
    }

    /// The two y for x on the curve, as the compressed encodings choose between them; nil when x³ + b is not a square.
    static func ys(forX x: Field) -> Field? { (x.squared() * x + Curve.b).squareRoot() }
}
