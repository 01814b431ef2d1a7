/// Continuation resumptions collected while a lock is held, run once it is released.
///
/// Never resume a continuation while holding a lock that a task-cancellation handler also takes:
/// `Task.cancel()` holds the task's status lock while its handler waits for our lock, and `resume`
/// needs that same status lock, so the two threads wait on each other forever. Collect the resumptions
/// under the lock and call `run()` after unlocking.
public struct ResumeAfterUnlock {
    private var pending: [() -> Void] = []

    public init() {}

    /// Remembers one resumption (any closure) to run after the lock is released.
    public mutating func add(_ resume: @escaping () -> Void) {
        pending.append(resume)
    }

    /// Runs the resumptions in the order they were added. Call without holding the lock.
    public func run() {
        for resume in pending { resume() }
    }
}
