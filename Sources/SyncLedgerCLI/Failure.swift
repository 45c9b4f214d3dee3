import ArgumentParser
import SyncLedgerDomain
import SyncLedgerIngest
import SyncLedgerReplay
import SyncLedgerStore

/// The exit codes scripts can rely on.
enum ExitStatus {
    /// A failure: a refused change, a conflict, a broken chain, an I/O error.
    static let failure: Int32 = 1
    /// A usage error (also what argument-parser uses for bad arguments).
    static let usage: Int32 = 64
    /// Bad input data.
    static let dataError: Int32 = 65
}

/// Runs a command's body, turning library errors into a message on standard error and the
/// exit code that matches them.
func reportingFailures(_ body: () throws -> Void) throws {
    defer { OutputSink.standardOutput.flush() }
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        OutputSink.standardOutput.flush()
        let (message, status) = describe(error)
        OutputSink.standardError.line("syncledger: error: \(message)")
        OutputSink.standardError.flush()
        throw ExitCode(status)
    }
}

private func describe(_ error: any Error) -> (String, Int32) {
    switch error {
    case let error as IngestError:
        if error.code == .unreadableFile { return (error.description, ExitStatus.failure) }
        return (error.description, error.isRuleRefusal ? ExitStatus.failure : ExitStatus.dataError)
    case let error as DomainError:
        return (error.description, error.code.isRuleRefusal ? ExitStatus.failure : ExitStatus.dataError)
    case let error as StoreError:
        return (error.description, ExitStatus.failure)
    case let error as CheckpointError:
        return (error.description, error.code.isInputError ? ExitStatus.dataError : ExitStatus.failure)
    case let error as SecretFile.WriteError:
        return (error.description, ExitStatus.failure)
    case let error as ReplayError:
        return (error.description, error.code.isInputError ? ExitStatus.dataError : ExitStatus.failure)
    default:
        return (String(describing: error), ExitStatus.failure)
    }
}
