using System;

public class Diff
{
    public static void Main()
    {
        string[] tokens = Console.In.ReadToEnd().Split(
            (char[])null, StringSplitOptions.RemoveEmptyEntries);
        Console.WriteLine(long.Parse(tokens[0]) - long.Parse(tokens[1])); // subtracts
    }
}
