using System;

public class Spin
{
    public static void Main()
    {
        long n = 0;
        while (n >= 0) // never stops: n wraps around only after centuries
        {
            n += 1;
        }
        Console.WriteLine(n);
    }
}
