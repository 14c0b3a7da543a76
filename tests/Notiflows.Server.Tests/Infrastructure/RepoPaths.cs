namespace Notiflows.Server.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from (found upwards from the test binaries under artifacts/).</summary>
public static class RepoPaths
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Notiflows.slnx")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new DirectoryNotFoundException("Notiflows.slnx not found above the test binaries");
        }
    }

    /// <summary>A folder under artifacts/ (created): where tests leave what a person looks at afterwards.</summary>
    public static string Artifacts(string folder) => Directory.CreateDirectory(Path.Combine(Root, "artifacts", folder)).FullName;
}
