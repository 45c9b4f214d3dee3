import ArgumentParser

/// How much of the tenant `plan` and `replay` look at.
struct PlanScopeOptions: ParsableArguments {
    @Flag(help: "Look at every object, not only those changed since the last run (the same commands, slower).")
    var full = false
}
