import ArgumentParser

/// `basalt`: one executable, one subcommand per job.
public struct BasaltCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "basalt",
        abstract: "Basalt: a columnar analytics database over a lake of Parquet files.",
        version: "0.1.0",
        subcommands: [QueryCommand.self, ServeCommand.self, ParquetCommand.self, DemoCommand.self, IngestCommand.self]
    )

    public init() {}
}

/// `basalt parquet ...`: look inside Parquet files, with Basalt's own reader and writer.
public struct ParquetCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "parquet",
        abstract: "Inspect, print, scan and rewrite Parquet files.",
        subcommands: [InspectCommand.self, CatCommand.self, ScanCommand.self, RewriteCommand.self]
    )

    public init() {}
}
