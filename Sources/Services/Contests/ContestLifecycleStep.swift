import Domain

/// A lifecycle step someone asked for. Typed again after its work was done (often by the bot itself: it ends
/// contests at their end time), the step is answered with the contest's state instead of refused.
public enum ContestLifecycleStep: Sendable {
    case activate
    case end
    case cancel

    /// Whether a contest in `status` is already past this step, so there is nothing left to do.
    /// Activating a cancelled contest, or cancelling a drawn one, is a real refusal and stays one.
    public func isDone(_ status: ContestStatus) -> Bool {
        switch (self, status) {
        case (.activate, .active), (.activate, .ended), (.activate, .drawn), (.end, .ended), (.end, .drawn), (.cancel, .cancelled):
            return true
        default:
            return false
        }
    }
}

/// What a lifecycle step came to: it ran, or its work was already done and this is where the contest is.
public enum ContestStepOutcome<Value: Sendable>: Sendable {
    case performed(Value)
    case alreadyDone(ContestDetail)
}

extension ContestService {
    /// Runs `body` (one of `activate`, `end`, `cancel`). A refusal because the contest is already past `step`
    /// becomes `.alreadyDone` with the contest's current detail; any other refusal is passed on unchanged.
    public func perform<Value: Sendable>(_ step: ContestLifecycleStep, contestID: Int64,
                                                     _ body: @Sendable () async throws -> Value) async throws -> ContestStepOutcome<Value> {
        do {
            return .performed(try await body())
        } catch ContestServiceError.refused(.wrongStatus(let action, let status, let allowed)) {
            let detail = try await detail(contestID: contestID)
            guard step.isDone(detail.contest.status) else {
                throw ContestServiceError.refused(.wrongStatus(action: action, status: status, allowed: allowed))
            }
            return .alreadyDone(detail)
        }
    }
}
