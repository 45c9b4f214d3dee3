import ArgumentParser
import SyncLedgerCLI

SyncLedgerCommand.main()
